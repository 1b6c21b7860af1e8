// Two Harbors in one program: a central Harbor and a regional replica, each with an endpoint pointing at the other, plus a lookup.
import * as pulumi from "@pulumi/pulumi";
import { getRegistryEndpointOutput, RegistryEndpoint } from "pulumi-harbor-endpoints";

const harbor = new pulumi.Config("harbor");
const example = new pulumi.Config("multi-harbor");

// The central Harbor is the default connection (harbor:url …); the replica is harbor:connections.replica. That
// object also holds the replica's password, so it is read as a secret; its URL is not secret.
const centralUrl = harbor.require("url");
const replicaUrl = pulumi.unsecret(harbor.requireSecretObject<Record<string, { url: string }>>("connections").apply((c) => c.replica.url));

/** On the central Harbor: the replica, as the destination of push replications. */
const replicaOnCentral = new RegistryEndpoint("replica", {
  providerName: "harbor",
  endpointUrl: replicaUrl,
  accessId: example.require("replicaRobot"),
  accessSecret: example.requireSecret("replicaRobotSecret"),
  description: "regional replica (push destination)",
});

/** On the replica: the central Harbor, as the source of pull replications. */
const centralOnReplica = new RegistryEndpoint("central", {
  connection: "replica",
  providerName: "harbor",
  endpointUrl: centralUrl,
  accessId: example.require("centralRobot"),
  accessSecret: example.requireSecret("centralRobotSecret"),
  description: "central Harbor (pull source)",
});

/** An endpoint the replica's administrators made in Harbor's UI, found by its exact name (also during preview). */
const mirror = getRegistryEndpointOutput({ name: example.get("mirrorName") ?? "docker-hub mirror", connection: "replica" });

/** Harbor's ids, for replication policies on each Harbor. */
export const registryIds = { replicaOnCentral: replicaOnCentral.registryId, centralOnReplica: centralOnReplica.registryId };
/** Which connection each endpoint lives on. */
export const connections = { replicaOnCentral: replicaOnCentral.connection, centralOnReplica: centralOnReplica.connection };
/** The looked-up endpoint: its id (e.g. for a proxy-cache project on the replica), type and URL. */
export const mirrorEndpoint = { registryId: mirror.registryId, providerName: mirror.providerName, endpointUrl: mirror.endpointUrl };
