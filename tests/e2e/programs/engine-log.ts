// The e2e program of the engine-log tests: a second endpoint whose accessSecret waits on the first one's registryId.
import * as pulumi from "@pulumi/pulumi";
import { RegistryEndpoint } from "../../../sdk";

const config = new pulumi.Config("e2e");
const secret = config.requireSecret("secret");
// The test run's name prefix (real-Harbor mode shares a Harbor): logical names are Harbor names.
const prefix = config.get("prefix") ?? "";

const first = new RegistryEndpoint(`${prefix}log-first`, {
    providerName: "huawei-SWR",
    endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com",
    accessId: "cn-north-4@AKFIRST",
    accessSecret: secret,
    connectionTest: "never",
});

// Unknown during the preview of a fresh stack: the first endpoint's registryId exists only once Harbor created it.
const second = new RegistryEndpoint(`${prefix}log-second`, {
    providerName: "huawei-SWR",
    endpointUrl: "https://swr.cn-north-4.myhuaweicloud.com",
    accessId: "cn-north-4@AKSECOND",
    accessSecret: pulumi.all([secret, first.registryId]).apply(([s, id]) => `${s}-after-${id}`),
});

/** Harbor ids of both endpoints, for the REST edits of the test. */
export const ids = { first: first.registryId, second: second.registryId };
