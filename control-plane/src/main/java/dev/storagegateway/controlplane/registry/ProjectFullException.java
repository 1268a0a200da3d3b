package dev.storagegateway.controlplane.registry;

/** A bucket would take a project past the number of buckets its owners may register. */
public final class ProjectFullException extends RuntimeException {
  public ProjectFullException(String project, int held) {
    super("project " + project + " already holds " + held + " buckets (with those of the"
        + " resource paths beneath it), the most its owners may register"
        + " (--project-bucket-limit); a registry admin can register more, or raise the limit");
  }
}
