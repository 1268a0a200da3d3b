package dev.storagegateway.controlplane.migration;

import dev.storagegateway.controlplane.migration.PlannedChange.Action;
import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Shows a plan as a table to read before anything changes, then a one-line summary. */
final class PlanPrinter {
  private PlanPrinter() {}

  static void print(SyncPlan plan, PrintWriter out) {
    int actionWidth = "unchanged".length();
    int nameWidth = Math.max("BUCKET".length(), plan.changes().stream()
        .mapToInt(change -> change.bucketName().length()).max().orElse(0));
    String row = "%-" + actionWidth + "s  %-" + nameWidth + "s  %s%n";
    out.printf(row, "ACTION", "BUCKET", "DETAILS");
    for (PlannedChange change : plan.changes()) {
      out.printf(row, name(change.action()), change.bucketName(), change.reason());
    }
    out.println(summary(plan));
    List<String> unbound = plan.needingBindings();
    if (!unbound.isEmpty()) {
      out.println((unbound.size() == 1 ? "1 bucket has" : unbound.size() + " buckets have")
          + " no prefix_bindings: the gateway refuses every request to a bucket without them"
          + " until a registry admin binds its objects to Arborist resource paths (as its files'"
          + " authz in indexd), for example PATCH /admin/buckets/" + unbound.get(0)
          + " with {\"prefix_bindings\": [{\"prefix\": \"\", \"resource_path\":"
          + " \"/programs/<program>/projects/<project>\"}]}: " + String.join(", ", unbound));
    }
  }

  static String summary(SyncPlan plan) {
    StringBuilder summary = new StringBuilder()
        .append(plan.count(Action.CREATE)).append(" to create, ")
        .append(plan.count(Action.UPDATE)).append(" to update, ")
        .append(plan.count(Action.UNCHANGED)).append(" unchanged, ")
        .append(plan.count(Action.SKIPPED)).append(" skipped");
    List<SecretWrite> writes = plan.secretWrites();
    if (!writes.isEmpty()) {
      // Grouped by credential, so a key that now lives in several secrets is plain to see.
      Map<String, List<String>> bucketsByCredential = writes.stream().collect(
          Collectors.groupingBy(SecretWrite::fenceCredential, LinkedHashMap::new,
              Collectors.mapping(SecretWrite::bucketName, Collectors.toList())));
      summary.append("; ").append(writes.size())
          .append(writes.size() == 1 ? " secret" : " secrets")
          .append(" to write, one per bucket, from Fence ")
          .append(bucketsByCredential.size() == 1 ? "credential " : "credentials ")
          .append(bucketsByCredential.entrySet().stream()
              .map(entry -> entry.getKey() + " (" + String.join(", ", entry.getValue()) + ")")
              .collect(Collectors.joining(", ")));
    }
    if (!plan.needingSecret().isEmpty()) {
      summary.append("; ").append(needs(plan.needingSecret().size(), "a secret"))
          .append(plan.needingSecret().stream()
              .map(SecretNeeded::describe)
              .collect(Collectors.joining(", ")));
    }
    if (!plan.needingServiceAccount().isEmpty()) {
      summary.append("; ")
          .append(needs(plan.needingServiceAccount().size(), "a gcp_service_account"))
          .append(String.join(", ", plan.needingServiceAccount()));
    }
    return summary.toString();
  }

  static String name(Action action) {
    return action.name().toLowerCase(Locale.ROOT);
  }

  private static String needs(int count, String what) {
    return count == 1
        ? "1 bucket needs " + what + " before it can be resumed: "
        : count + " buckets need " + what + " before they can be resumed: ";
  }
}
