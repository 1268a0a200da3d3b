package dev.storagegateway.credentials;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.google.cloud.storage.StorageException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProviderChain;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.auth.credentials.SystemPropertyCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.sts.StsClient;

/**
 * Real SDK calls that get no answer, each described without the address the SDK's message
 * names; and Google's clients' failures, which wrap the same causes.
 */
class UnansweredCallsTest {
  private static final AwsCredentialsProvider KEYS =
      StaticCredentialsProvider.create(AwsBasicCredentials.create("AKIDEXAMPLE", "secret"));

  @Test
  void aClosedPortIsARefusedConnection() throws IOException {
    int closed;
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      closed = socket.getLocalPort();
    }
    SdkClientException failure = callerIdentity("http://127.0.0.1:" + closed, KEYS);

    assertThat(failure.getMessage()).contains("127.0.0.1");
    assertThat(UnansweredCalls.describe(failure)).isEqualTo("the connection was refused");
  }

  @Test
  void aNameThatDoesNotResolveIsSaidSo() {
    SdkClientException failure = callerIdentity("https://sts.no-such-host.invalid", KEYS);

    assertThat(UnansweredCalls.describe(failure)).isEqualTo("the host name does not resolve");
  }

  @Test
  void httpsToAPortThatSpeaksPlainHttpIsAFailedHandshake() throws Exception {
    try (ServerSocket plain = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      Thread server = answerOnce(plain, "HTTP/1.1 400 Bad Request\r\nContent-Length: 0\r\n\r\n");
      SdkClientException failure =
          callerIdentity("https://127.0.0.1:" + plain.getLocalPort(), KEYS);
      server.join();

      assertThat(UnansweredCalls.describe(failure)).startsWith("the TLS handshake failed");
    }
  }

  @Test
  void aServerThatNeverAnswersIsNoAnswerInTime() throws Exception {
    try (ServerSocket silent = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      SdkClientException failure = catchThrowableOfType(SdkClientException.class, () -> {
        try (StsClient sts = client("http://127.0.0.1:" + silent.getLocalPort(), KEYS,
            Duration.ofMillis(500))) {
          sts.getCallerIdentity();
        }
      });

      assertThat(UnansweredCalls.describe(failure)).isEqualTo("no answer in time");
    }
  }

  @Test
  void noIdentityOfItsOwnIsSaidInWordsAndNotAsTheChainsDump() {
    AwsCredentialsProvider none = AwsCredentialsProviderChain.builder()
        .credentialsProviders(SystemPropertyCredentialsProvider.create()).build();
    SdkClientException failure = callerIdentity("http://127.0.0.1:1", none);

    assertThat(UnansweredCalls.describe(failure))
        .startsWith("the gateway has no AWS identity of its own to call with");
  }

  /** google-cloud-storage wraps the I/O failure; google-auth throws it as it is. */
  @Test
  void googlesClientsFailuresAreDescribedByTheirCause() {
    assertThat(UnansweredCalls.describe(new StorageException(
        new UnknownHostException("storage.example.internal"))))
        .isEqualTo("the host name does not resolve");
    assertThat(UnansweredCalls.describe(new ConnectException("Connection refused")))
        .isEqualTo("the connection was refused");
  }

  private static SdkClientException callerIdentity(String endpoint,
      AwsCredentialsProvider identity) {
    return catchThrowableOfType(SdkClientException.class, () -> {
      try (StsClient sts = client(endpoint, identity, Duration.ofSeconds(10))) {
        sts.getCallerIdentity();
      }
    });
  }

  private static StsClient client(String endpoint, AwsCredentialsProvider identity,
      Duration attemptTimeout) {
    return StsClient.builder().region(Region.US_EAST_1).endpointOverride(URI.create(endpoint))
        .credentialsProvider(identity)
        .overrideConfiguration(configuration -> configuration
            .retryStrategy(AwsRetryStrategy.doNotRetry())
            .apiCallAttemptTimeout(attemptTimeout))
        .build();
  }

  private static Thread answerOnce(ServerSocket server, String answer) {
    Thread thread = new Thread(() -> {
      try (Socket client = server.accept(); OutputStream out = client.getOutputStream()) {
        out.write(answer.getBytes(StandardCharsets.US_ASCII));
        out.flush();
      } catch (IOException e) {
        // The client gave up first; the test reads its side.
      }
    });
    thread.start();
    return thread;
  }
}
