// Endpoints for the policy-pack e2e: scenario "violations" (insecure plain http, a URL unknown in preview) or "ca".
import * as pulumi from "@pulumi/pulumi";
import { RegistryEndpoint } from "pulumi-harbor-endpoints";

const config = new pulumi.Config("e2e");
const scenario = config.require("scenario");
const canary = config.requireSecret("canary");

if (scenario === "violations") {
    // Both mandatory rules: TLS verification off and plain http to a host that is not loopback.
    const insecure = new RegistryEndpoint("insecure-http", {
        providerName: "docker-registry",
        endpointUrl: "http://registry.internal.example.com:5000",
        insecure: true,
        accessId: "robot$ci",
        accessSecret: canary,
        connectionTest: "never",
    });
    // Its URL depends on an id Harbor assigns on create, so it is unknown during preview: "cannot be checked until known".
    new RegistryEndpoint("mirror-of-insecure", {
        providerName: "docker-registry",
        endpointUrl: pulumi.interpolate`http://mirror-${insecure.registryId}.internal.example.com`,
        accessId: "robot$ci",
        accessSecret: canary,
        connectionTest: "never",
    });
} else if (scenario === "ca") {
    // Harbor's huawei-SWR adapter needs no network, so the connection test passes offline.
    new RegistryEndpoint("swr-private-ca", {
        providerName: "huawei-SWR",
        endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com",
        accessId: "cn-north-1@ci",
        accessSecret: canary,
        caCertificate: config.require("caCertificate"),
    });
} else {
    throw new Error(`unknown e2e:scenario ${scenario}`);
}
