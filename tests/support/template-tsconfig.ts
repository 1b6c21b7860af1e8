// Pulumi's TypeScript template tsconfig, shared by the tiers that compile a user's program as `pulumi new typescript` would.

/** Pulumi's TypeScript template tsconfig (`pulumi new typescript`): strict, no skipLibCheck, no esModuleInterop. */
export const TEMPLATE_TSCONFIG = {
  compilerOptions: {
    strict: true,
    outDir: "bin",
    target: "es2020",
    module: "commonjs",
    moduleResolution: "node",
    sourceMap: true,
    experimentalDecorators: true,
    pretty: true,
    noFallthroughCasesInSwitch: true,
    noImplicitReturns: true,
    forceConsistentCasingInFileNames: true,
  },
  files: ["index.ts"],
} as const;
