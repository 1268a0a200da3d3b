package dev.storagegateway.secrets.gcp;

import com.google.cloud.secretmanager.v1.AccessSecretVersionRequest;
import com.google.cloud.secretmanager.v1.AccessSecretVersionResponse;
import com.google.cloud.secretmanager.v1.AddSecretVersionRequest;
import com.google.cloud.secretmanager.v1.CreateSecretRequest;
import com.google.cloud.secretmanager.v1.DeleteSecretRequest;
import com.google.cloud.secretmanager.v1.Secret;
import com.google.cloud.secretmanager.v1.SecretPayload;
import com.google.cloud.secretmanager.v1.SecretVersion;
import com.google.cloud.secretmanager.v1.ServiceProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.Empty;
import com.google.protobuf.Message;
import com.google.protobuf.Timestamp;
import io.grpc.BindableService;
import io.grpc.MethodDescriptor;
import io.grpc.ServerServiceDefinition;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.ProtoUtils;
import io.grpc.stub.ServerCalls;
import io.grpc.stub.StreamObserver;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32C;

/**
 * Secret Manager v1 in process, for the three calls the gateway makes, as the API reference
 * describes them: names come back with the project number even when asked by project id,
 * versions count from 1, {@code latest} is the most recently created version, a payload's CRC32C
 * is checked when the client sends one and stored either way, a missing project, secret or
 * version is NOT_FOUND and a disabled one FAILED_PRECONDITION. Other calls answer UNIMPLEMENTED.
 *
 * <p>The service is bound from the published proto descriptors (what the generated
 * {@code SecretManagerServiceGrpc} does), because the generated gRPC stubs are not on this
 * module's classpath.
 */
final class FakeSecretManager implements BindableService {
  static final String PROJECT_ID = "gen3-storage";
  static final String PROJECT_NUMBER = "614302998811";

  private static final String SERVICE = ServiceProto.getDescriptor()
      .findServiceByName("SecretManagerService").getFullName();
  private static final Pattern PROJECT = Pattern.compile("projects/([^/]+)");
  private static final Pattern SECRET = Pattern.compile("projects/([^/]+)/secrets/([^/]+)");
  private static final Pattern VERSION =
      Pattern.compile("projects/([^/]+)/secrets/([^/]+)/versions/([^/]+)");
  private static final Pattern SECRET_ID = Pattern.compile("[A-Za-z0-9_-]{1,255}");
  private static final int MAX_PAYLOAD_BYTES = 64 * 1024;

  /** Secret name (with the project number) to its versions, oldest first. */
  private final Map<String, List<SecretPayload>> secrets = new HashMap<>();
  private final Set<String> denied = new HashSet<>();
  /** Version names (with the project number) an admin disabled. */
  private final Set<String> disabled = new HashSet<>();
  private Status failure;
  private boolean silent;

  /** Answers every call on {@code secret} (any project form) with PERMISSION_DENIED. */
  synchronized void deny(String secret) {
    denied.add(secret);
  }

  /** Answers every call with {@code status}, or serves again when it is null. */
  synchronized void failWith(Status status) {
    failure = status;
  }

  /** Takes every call from now on and never answers it, as a service that has hung. */
  synchronized void hang() {
    silent = true;
  }

  /** Stores raw bytes as a new version, the way an admin's {@code gcloud} upload would. */
  synchronized void put(String secret, byte[] data) {
    secrets.computeIfAbsent(canonical(secret), name -> new ArrayList<>())
        .add(SecretPayload.newBuilder().setData(ByteString.copyFrom(data))
            .setDataCrc32C(crc32c(ByteString.copyFrom(data))).build());
  }

  /** Replaces the stored checksum of the latest version, as a corruption at rest would. */
  synchronized void corruptChecksum(String secret) {
    List<SecretPayload> versions = secrets.get(canonical(secret));
    SecretPayload last = versions.get(versions.size() - 1);
    versions.set(versions.size() - 1, last.toBuilder().setDataCrc32C(last.getDataCrc32C() ^ 1)
        .build());
  }

  /** Disables a version: it stays, and stays {@code latest} if it was, but cannot be accessed. */
  synchronized void disable(String secret, int version) {
    disabled.add(canonical(secret) + "/versions/" + version);
  }

  synchronized int versionCount(String secret) {
    return secrets.getOrDefault(canonical(secret), List.of()).size();
  }

  @Override
  public ServerServiceDefinition bindService() {
    return ServerServiceDefinition.builder(SERVICE)
        .addMethod(unary("CreateSecret", CreateSecretRequest.getDefaultInstance(),
            Secret.getDefaultInstance()), ServerCalls.asyncUnaryCall(this::createSecret))
        .addMethod(unary("AddSecretVersion", AddSecretVersionRequest.getDefaultInstance(),
            SecretVersion.getDefaultInstance()), ServerCalls.asyncUnaryCall(this::addSecretVersion))
        .addMethod(unary("DeleteSecret", DeleteSecretRequest.getDefaultInstance(),
            Empty.getDefaultInstance()), ServerCalls.asyncUnaryCall(this::deleteSecret))
        .addMethod(unary("AccessSecretVersion", AccessSecretVersionRequest.getDefaultInstance(),
            AccessSecretVersionResponse.getDefaultInstance()),
            ServerCalls.asyncUnaryCall(this::accessSecretVersion))
        .build();
  }

  void createSecret(CreateSecretRequest request, StreamObserver<Secret> answer) {
    respond(answer, () -> {
      Matcher parent = match(PROJECT, request.getParent(), "parent");
      String project = projectNumber(parent.group(1));
      if (!SECRET_ID.matcher(request.getSecretId()).matches()) {
        throw invalid("secret_id must be 1 to 255 letters, digits, '-' or '_'");
      }
      if (!request.getSecret().hasReplication()
          || request.getSecret().getReplication().getReplicationCase().getNumber() == 0) {
        throw invalid("Secret.replication is required");
      }
      String name = "projects/" + project + "/secrets/" + request.getSecretId();
      checkAllowed(request.getSecretId());
      if (secrets.containsKey(name)) {
        throw Status.ALREADY_EXISTS.withDescription("Secret [" + name + "] already exists.")
            .asRuntimeException();
      }
      secrets.put(name, new ArrayList<>());
      return request.getSecret().toBuilder().setName(name).setCreateTime(now()).build();
    });
  }

  void deleteSecret(DeleteSecretRequest request, StreamObserver<Empty> answer) {
    respond(answer, () -> {
      Matcher secret = match(SECRET, request.getName(), "name");
      checkAllowed(secret.group(2));
      String name = "projects/" + projectNumber(secret.group(1)) + "/secrets/" + secret.group(2);
      existing(name);
      secrets.remove(name);
      return Empty.getDefaultInstance();
    });
  }

  void addSecretVersion(AddSecretVersionRequest request, StreamObserver<SecretVersion> answer) {
    respond(answer, () -> {
      Matcher parent = match(SECRET, request.getParent(), "parent");
      checkAllowed(parent.group(2));
      String name = "projects/" + projectNumber(parent.group(1)) + "/secrets/" + parent.group(2);
      List<SecretPayload> versions = existing(name);
      SecretPayload payload = request.getPayload();
      if (payload.getData().size() > MAX_PAYLOAD_BYTES) {
        throw invalid("Secret payload data must be no larger than 64KiB");
      }
      long crc = crc32c(payload.getData());
      if (payload.hasDataCrc32C() && payload.getDataCrc32C() != crc) {
        throw invalid("Checksum mismatch: the received data does not match data_crc32c");
      }
      versions.add(payload.toBuilder().setDataCrc32C(crc).build());
      return SecretVersion.newBuilder()
          .setName(name + "/versions/" + versions.size())
          .setCreateTime(now())
          .setState(SecretVersion.State.ENABLED)
          .setClientSpecifiedPayloadChecksum(payload.hasDataCrc32C())
          .build();
    });
  }

  void accessSecretVersion(AccessSecretVersionRequest request,
      StreamObserver<AccessSecretVersionResponse> answer) {
    respond(answer, () -> {
      Matcher version = match(VERSION, request.getName(), "name");
      checkAllowed(version.group(2));
      String name = "projects/" + projectNumber(version.group(1)) + "/secrets/" + version.group(2);
      List<SecretPayload> versions = existing(name);
      int number;
      if (version.group(3).equals("latest")) {
        number = versions.size();
      } else if (version.group(3).matches("\\d+")) {
        number = Integer.parseInt(version.group(3));
      } else {
        throw Status.NOT_FOUND.withDescription("Secret Version alias [" + version.group(3)
            + "] not found.").asRuntimeException();
      }
      if (number < 1 || number > versions.size()) {
        throw Status.NOT_FOUND.withDescription("Secret Version [" + name + "/versions/"
            + version.group(3) + "] not found.").asRuntimeException();
      }
      if (disabled.contains(name + "/versions/" + number)) {
        throw Status.FAILED_PRECONDITION.withDescription("Secret Version [" + name + "/versions/"
            + number + "] is in DISABLED state.").asRuntimeException();
      }
      return AccessSecretVersionResponse.newBuilder()
          .setName(name + "/versions/" + number)
          .setPayload(versions.get(number - 1))
          .build();
    });
  }

  private <R> void respond(StreamObserver<R> answer, Supplier<R> call) {
    R result;
    synchronized (this) {
      if (silent) {
        return;
      }
      try {
        if (failure != null) {
          throw failure.asRuntimeException();
        }
        result = call.get();
      } catch (StatusRuntimeException e) {
        answer.onError(e);
        return;
      }
    }
    answer.onNext(result);
    answer.onCompleted();
  }

  private void checkAllowed(String secretId) {
    if (denied.contains(secretId)) {
      throw Status.PERMISSION_DENIED.withDescription("Permission denied on resource secret "
          + secretId + " (or it may not exist).").asRuntimeException();
    }
  }

  private List<SecretPayload> existing(String name) {
    List<SecretPayload> versions = secrets.get(name);
    if (versions == null) {
      throw Status.NOT_FOUND.withDescription("Secret [" + name + "] not found or has no versions.")
          .asRuntimeException();
    }
    return versions;
  }

  private static String canonical(String secret) {
    Matcher name = match(SECRET, secret, "name");
    return "projects/" + projectNumber(name.group(1)) + "/secrets/" + name.group(2);
  }

  private static String projectNumber(String project) {
    if (project.equals(PROJECT_ID) || project.equals(PROJECT_NUMBER)) {
      return PROJECT_NUMBER;
    }
    throw Status.NOT_FOUND.withDescription("Project [" + project + "] not found.")
        .asRuntimeException();
  }

  private static Matcher match(Pattern pattern, String value, String field) {
    Matcher matcher = pattern.matcher(value);
    if (!matcher.matches()) {
      throw invalid("invalid resource name in " + field + ": " + value);
    }
    return matcher;
  }

  private static StatusRuntimeException invalid(String description) {
    return Status.INVALID_ARGUMENT.withDescription(description).asRuntimeException();
  }

  private static Timestamp now() {
    Instant now = Instant.now();
    return Timestamp.newBuilder().setSeconds(now.getEpochSecond()).setNanos(now.getNano()).build();
  }

  private static long crc32c(ByteString data) {
    CRC32C crc = new CRC32C();
    crc.update(data.asReadOnlyByteBuffer());
    return crc.getValue();
  }

  private static <Q extends Message, R extends Message> MethodDescriptor<Q, R> unary(
      String method, Q request, R response) {
    return MethodDescriptor.<Q, R>newBuilder()
        .setType(MethodDescriptor.MethodType.UNARY)
        .setFullMethodName(MethodDescriptor.generateFullMethodName(SERVICE, method))
        .setRequestMarshaller(ProtoUtils.marshaller(request))
        .setResponseMarshaller(ProtoUtils.marshaller(response))
        .build();
  }
}
