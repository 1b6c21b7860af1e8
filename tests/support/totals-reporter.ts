// Mocha reporter: the spec reporter's output, then one machine-readable line "N passed, M failed[, K skipped]" for CI.
// It also audits everything the test run prints for the suite's canary secrets: a leak there fails the run.
import Mocha = require("mocha");
import { allCanaries, watchWritesForCanaries } from "./canary";

const { EVENT_RUN_END } = Mocha.Runner.constants;

/** Spec output plus a final totals line that CI reads instead of mocha's summary. */
class TotalsReporter extends Mocha.reporters.Spec {
  constructor(runner: Mocha.Runner, options?: Mocha.MochaOptions) {
    const leaked = new Set<string>();
    watchWritesForCanaries(process.stdout, leaked);
    watchWritesForCanaries(process.stderr, leaked);
    super(runner, options);
    runner.once(EVENT_RUN_END, () => {
      const s = runner.stats ?? { passes: 0, failures: 0, pending: 0 };
      const skipped = s.pending ? `, ${s.pending} skipped` : "";
      // Never the canary itself: the count says enough, and printing it would be the leak.
      process.stdout.write(`\ncanary audit: ${allCanaries().length} canary secrets minted, ${leaked.size} of them found in the test output\n`);
      const failures = s.failures + (leaked.size > 0 ? 1 : 0);
      process.stdout.write(`\n${s.passes} passed, ${failures} failed${skipped}\n`);
    });
  }
}

export = TotalsReporter;
