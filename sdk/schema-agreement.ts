// Compile-time only: the public RegistryEndpointArgs (plain TypeScript, sdk/types.ts) and the provider's zod input
// schema agree. Kept out of sdk/types.ts so the shipped declarations never import zod; nothing imports this module.
import type * as pulumi from "@pulumi/pulumi";
import type { RegistryEndpointInputsIn } from "../provider/registry-endpoint/schema";
import type { RegistryEndpointArgs } from "./types";

// The hand-written Args and the zod schema (the single source) describe the same fields
// with the same value types; adding, removing or retyping a field on one side only breaks the build here.
type Equals<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
type Assert<T extends true> = T;
type ArgsFromSchema = { [K in keyof RegistryEndpointInputsIn]-?: pulumi.Input<NonNullable<RegistryEndpointInputsIn[K]>> };
type ArgsAsWritten = { [K in keyof RegistryEndpointArgs]-?: NonNullable<RegistryEndpointArgs[K]> };
type RequiredKeys<T> = { [K in keyof T]-?: undefined extends T[K] ? never : K }[keyof T];
type ArgsMatchSchema = Assert<Equals<ArgsFromSchema, ArgsAsWritten>>;
// `name` is required by the schema but optional in Args: the SDK fills in the logical resource name.
type RequiredMatchSchema = Assert<Equals<Exclude<RequiredKeys<RegistryEndpointInputsIn>, "name">, RequiredKeys<RegistryEndpointArgs>>>;

/** Referenced so the compile-time assertions above are not reported as unused. */
export type SchemaAgreement = [ArgsMatchSchema, RequiredMatchSchema];
