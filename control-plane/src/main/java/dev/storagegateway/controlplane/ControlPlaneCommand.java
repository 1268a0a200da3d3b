package dev.storagegateway.controlplane;

import dev.storagegateway.controlplane.migration.SyncBucketsFromYamlCommand;
import dev.storagegateway.lifecycle.ServerCommandLine;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point of the management plane's jar. */
@Command(
    name = "control-plane",
    mixinStandardHelpOptions = true,
    description = "The storage gateway's management plane.",
    subcommands = {ServeCommand.class, SyncBucketsFromYamlCommand.class,
        CommandLine.HelpCommand.class})
public final class ControlPlaneCommand {
  public static void main(String[] args) {
    int exit = ServerCommandLine.of(new ControlPlaneCommand()).execute(args);
    if (exit != 0) {
      System.exit(exit);
    }
  }
}
