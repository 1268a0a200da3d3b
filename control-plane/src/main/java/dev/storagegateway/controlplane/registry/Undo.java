package dev.storagegateway.controlplane.registry;

/**
 * Takes back what a {@link CreationStep} did outside the database once its creation failed to
 * commit. Each one logs what it did, or what it left behind and where, never a secret's value.
 */
public interface Undo {
  /** For a step that did nothing outside the database, or nothing of its own. */
  Undo NOTHING = new Undo() {
    @Override
    public void run() {
    }

    @Override
    public void leave(String why) {
    }
  };

  /** Takes the step's work back. */
  void run();

  /**
   * Leaves the step's work in place, since taking it back cannot be known to be safe:
   * {@code why}. Says, for an operator, what stays behind.
   */
  void leave(String why);
}
