// A ready policy pack: every pulumi-harbor-endpoints rule at its default level, re-levelled and configured by config.
import { PolicyPack } from "@pulumi/policy";
import { registryEndpointPolicies } from "pulumi-harbor-endpoints/policy";

// `pulumi preview --policy-pack <this dir> --policy-pack-config <file.json>` re-levels or configures each rule.
new PolicyPack("harbor-endpoints", { policies: registryEndpointPolicies });
