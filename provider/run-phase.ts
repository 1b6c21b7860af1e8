// Which phase of a Pulumi run a program registered a resource in: the one fact the SDK hands the provider that the
// dynamic-provider host does not (its check/diff never see the engine's dry-run flag).

/**
 * The hidden input under which the SDK's `RegistryEndpoint` passes `pulumi.runtime.isDryRun()`: `"preview"` during
 * `pulumi preview` and the preview half of `pulumi up`, `"update"` during the update half (and `--skip-preview`).
 * `check` reads it and never returns it, so it reaches neither `diff`, the policy packs nor the state.
 */
export const RUN_PHASE_INPUT = "__harborRunPhase";

/** The phase a program reported; absent (an older SDK, a hand-built resource) means "unknown", treated as preview. */
export type RunPhase = "preview" | "update";

/** The phase in `news`, or undefined when it is missing or not one of the two values. */
export function runPhaseOf(news: unknown): RunPhase | undefined {
  const v = (news as Record<string, unknown> | undefined)?.[RUN_PHASE_INPUT];
  return v === "preview" || v === "update" ? v : undefined;
}
