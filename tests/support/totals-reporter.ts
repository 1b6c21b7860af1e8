// Mocha reporter: the spec reporter's output, then one machine-readable line "N passed, M failed[, K skipped]" for CI.
import Mocha = require("mocha");

const { EVENT_RUN_END } = Mocha.Runner.constants;

/** Spec output plus a final totals line that CI reads instead of mocha's summary. */
class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const skipped = s.pending ? `, ${s.pending} skipped` : "";
      process.stdout.write(`\n${s.passes} passed, ${s.failures} failed${skipped}\n`);
    });
  }
}

export = TotalsReporter;
