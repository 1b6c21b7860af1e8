// Test support: suites that need simulator-only controls skip, with a message, when the suite runs against a real Harbor.

/** Whether the suite targets an external Harbor (`HARBOR_TEST_URL`) instead of simulators. */
export function realHarborMode(): boolean {
  return (process.env.HARBOR_TEST_URL ?? "") !== "";
}

/**
 * Skips the calling suite or test in real-Harbor mode, saying why (call from `before` or the test itself): a single
 * external Harbor cannot stand in for two simulators, fault injection or version switches.
 */
export function skipInRealHarborMode(ctx: Mocha.Context, needs: string): void {
  if (!realHarborMode()) return;
  process.stdout.write(`      skipped in real-Harbor mode (HARBOR_TEST_URL is set): needs ${needs}\n`);
  ctx.skip();
}
