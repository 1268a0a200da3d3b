package dev.storagegateway.extauthz;

import dev.storagegateway.registry.Provider;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/**
 * {@code --presigned-upload-providers}, shared by the data plane's command and the embedded
 * gateway's: which providers' buckets get presigned upload URLs
 * ({@link DataPlaneSettings#DEFAULT_UPLOAD_PROVIDERS} says why not all).
 */
public final class PresignedUploadOptions {
  @Spec(Spec.Target.MIXEE)
  CommandSpec command;

  @Option(names = "--presigned-upload-providers", split = ",",
      defaultValue = "${env:GATEWAY_PRESIGNED_UPLOAD_PROVIDERS:-aws,gcp}",
      description = "Providers whose buckets get presigned upload URLs (default aws,gcp). Add"
          + " minio or s3_compatible only for storage that refuses a request carrying an x-amz-*"
          + " header the URL does not sign: upstream MinIO does not, and an unsigned"
          + " x-amz-copy-source turns an upload URL into a copy of any object the bucket's keys"
          + " can read.")
  List<String> names = new ArrayList<>();

  /** @throws ParameterException naming the option and the providers there are */
  public Set<Provider> providers() {
    try {
      return names.stream().map(String::strip).map(Provider::of)
          .collect(Collectors.toUnmodifiableSet());
    } catch (IllegalArgumentException e) {
      throw new ParameterException(command.commandLine(),
          "--presigned-upload-providers: " + e.getMessage(), e);
    }
  }
}
