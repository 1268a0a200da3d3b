package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;

import dev.storagegateway.extauthz.CapturedLogs;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UnexpectedFaultTest {
  private static final String CANARY = "canary-secret-9f3b1c";

  @Test
  void logsTheFaultsTypeAndWhereButNeverItsMessage() {
    RuntimeException fault = new IllegalStateException("cannot parse '" + CANARY + "'",
        new IllegalArgumentException(CANARY));
    try (CapturedLogs logs = CapturedLogs.start()) {
      UnexpectedFault.log(LoggerFactory.getLogger(UnexpectedFaultTest.class), "Check",
          "request-7", fault);

      String thrownHere = UnexpectedFaultTest.class.getName()
          + ".logsTheFaultsTypeAndWhereButNeverItsMessage";
      assertThat(logs.everything()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("Check request-7 failed: java.lang.IllegalStateException at " + thrownHere)
          .doesNotContain(CANARY));
    }
  }
}
