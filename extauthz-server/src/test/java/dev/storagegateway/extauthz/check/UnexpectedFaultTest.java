package dev.storagegateway.extauthz.check;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchRuntimeException;

import dev.storagegateway.extauthz.observe.AccessLog;
import dev.storagegateway.testlogging.CapturedLogs;
import java.util.Objects;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

class UnexpectedFaultTest {
  private static final String CANARY = "canary-secret-9f3b1c";

  @Test
  void logsTheFaultsTypeAndWhereButNeverItsMessage() {
    RuntimeException fault = new IllegalStateException("cannot parse '" + CANARY + "'",
        new IllegalArgumentException(CANARY));
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      UnexpectedFault.log(LoggerFactory.getLogger(UnexpectedFaultTest.class), "Check",
          "request-7", fault);

      String thrownHere = UnexpectedFaultTest.class.getName()
          + ".logsTheFaultsTypeAndWhereButNeverItsMessage";
      assertThat(logs.everything()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("Check request-7 failed: java.lang.IllegalStateException at " + thrownHere)
          .doesNotContain(CANARY));
    }
  }

  /** The JDK's frame alone (Objects.requireNonNull) would not say which call of ours failed. */
  @Test
  void aFaultThrownInALibraryAlsoNamesTheGatewaysFrameThatCalledIt() {
    RuntimeException fault = catchRuntimeException(() -> Objects.requireNonNull(null, CANARY));
    try (CapturedLogs logs = CapturedLogs.rootAnd(AccessLog.LOGGER_NAME)) {
      UnexpectedFault.log(LoggerFactory.getLogger(UnexpectedFaultTest.class), "Presigning",
          "request-8", fault);

      String calledFrom = UnexpectedFaultTest.class.getName()
          + ".lambda$aFaultThrownInALibraryAlsoNamesTheGatewaysFrameThatCalledIt$";
      assertThat(logs.everything()).singleElement().satisfies(line -> assertThat(line)
          .startsWith("Presigning request-8 failed: java.lang.NullPointerException at"
              + " java.base/java.util.Objects.requireNonNull(")
          .contains(" from " + calledFrom)
          .doesNotContain(CANARY));
    }
  }
}
