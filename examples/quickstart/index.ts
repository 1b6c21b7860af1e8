// Quickstart: three Harbor registry endpoints declared with RegistryEndpoint, run against the Harbor simulator.
import * as pulumi from "@pulumi/pulumi";
import { RegistryEndpoint } from "pulumi-harbor-endpoints";

const harbor = new pulumi.Config("harbor");
// The simulator serves /api/version and /v2/, so it is a healthy remote Harbor and a healthy Docker registry.
const harborUrl = harbor.require("url");

/** Another Harbor (here: the simulator itself), e.g. the source of a pull replication. */
const upstreamHarbor = new RegistryEndpoint("upstream-harbor", {
  providerName: "harbor",
  description: "Upstream Harbor (quickstart)",
  endpointUrl: harborUrl,
  accessId: harbor.require("username"),
  accessSecret: harbor.requireSecret("password"),
});

/** A plain Docker Distribution registry, anonymous. */
const mirror = new RegistryEndpoint("docker-mirror", {
  providerName: "docker-registry",
  endpointUrl: harborUrl,
});

/** Huawei SWR: Harbor performs no health check for this type, so it needs no network. */
const swr = new RegistryEndpoint("huawei-swr", {
  providerName: "huawei",
  name: "huawei-swr-cn-north-1",
  endpointUrl: "https://swr.cn-north-1.myhuaweicloud.com",
  accessId: "cn-north-1@quickstart",
  accessSecret: pulumi.secret("quickstart-not-a-real-secret"),
  connectionTest: "never",
});

/** Harbor's ids, for replication policies and proxy-cache projects. */
export const registryIds = { upstreamHarbor: upstreamHarbor.registryId, mirror: mirror.registryId, swr: swr.registryId };
/** Harbor's last known health of each remote. */
export const statuses = { upstreamHarbor: upstreamHarbor.status, mirror: mirror.status, swr: swr.status };
/** The URLs as Harbor stores them. */
export const endpointUrls = { upstreamHarbor: upstreamHarbor.endpointUrl, mirror: mirror.endpointUrl, swr: swr.endpointUrl };
/** Names in Harbor (the logical name unless `name` is set). */
export const names = { upstreamHarbor: upstreamHarbor.name, mirror: mirror.name, swr: swr.name };
