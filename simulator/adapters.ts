// Harbor's registered adapter types, the default whitelist, /replication/adapterinfos data and /registries/{id}/info.

/** Every adapter type registered in Harbor v2.11+ (src/pkg/reg/manager.go imports), byte-wise sorted. */
export const REGISTERED_ADAPTER_TYPES: readonly string[] = [
  "ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry", "dtr", "github-ghcr", "gitlab",
  "google-gcr", "harbor", "huawei-SWR", "jfrog-artifactory", "quay", "tencent-tcr", "volcengine-cr",
];

/** Default REPLICATION_ADAPTER_WHITELIST of the installer (make/photon/prepare/templates/core/env.jinja). */
export const DEFAULT_ADAPTER_WHITELIST: readonly string[] = [
  "ali-acr", "aws-ecr", "azure-acr", "docker-hub", "docker-registry", "github-ghcr", "google-gcr", "harbor",
  "huawei-SWR", "jfrog-artifactory", "tencent-tcr", "volcengine-cr",
];

/** Default PERMITTED_REGISTRY_TYPES_FOR_PROXY_CACHE. */
export const DEFAULT_PROXY_CACHE_TYPES: readonly string[] = [
  "docker-hub", "harbor", "azure-acr", "ali-acr", "aws-ecr", "google-gcr", "docker-registry", "github-ghcr",
  "jfrog-artifactory",
];

const AWS_REGIONS = [
  "us-east-2", "us-east-1", "us-west-1", "us-west-2", "af-south-1", "ap-east-1", "ap-east-2", "ap-south-1",
  "ap-south-2", "ap-northeast-3", "ap-northeast-2", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
  "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7", "ap-northeast-1", "ca-central-1",
  "ca-west-1", "cn-north-1", "cn-northwest-1", "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2",
  "eu-south-1", "eu-south-2", "eu-west-3", "eu-north-1", "il-central-1", "me-south-1", "me-central-1",
  "mx-central-1", "sa-east-1", "us-gov-east-1", "us-gov-west-1",
];

const ALI_REGIONS = [
  "cn-qingdao", "cn-beijing", "cn-zhangjiakou", "cn-huhehaote", "cn-wulanchabu", "cn-hangzhou", "cn-shanghai",
  "cn-shenzhen", "cn-heyuan", "cn-guangzhou", "cn-chengdu", "cn-hongkong", "ap-southeast-1", "ap-southeast-2",
  "ap-southeast-3", "ap-southeast-5", "ap-south-1", "ap-northeast-1", "us-west-1", "us-east-1", "eu-central-1",
  "eu-west-1", "me-east-1",
];

type Endpoint = { key: string; value: string };
type ProviderInfo = {
  credential_pattern?: Record<string, string>;
  endpoint_pattern?: { endpoint_type: string; endpoints: Endpoint[] | null };
};

/** Adapter patterns of every registered type that has one (AdapterPattern() non-nil), keys in Go's JSON order. */
function allProviderInfos(): Record<string, ProviderInfo> {
  const ali: Endpoint[] = ALI_REGIONS.flatMap((r) => [
    { key: r, value: `https://registry.${r}.aliyuncs.com` },
    { key: `${r}-vpc`, value: `https://registry-vpc.${r}.aliyuncs.com` },
    { key: `${r}-internal`, value: `https://registry-internal.${r}.aliyuncs.com` },
    { key: `${r}-ee-vpc`, value: `https://instanceName-registry-vpc.${r}.cr.aliyuncs.com` },
    { key: `${r}-ee`, value: `https://instanceName-registry.${r}.cr.aliyuncs.com` },
  ]);
  const aws: Endpoint[] = AWS_REGIONS.map((r) => ({
    key: r,
    value: `https://api.ecr.${r}.amazonaws.com${r.startsWith("cn-") ? ".cn" : ""}`,
  }));
  return {
    "ali-acr": { endpoint_pattern: { endpoint_type: "EndpointPatternTypeList", endpoints: ali } },
    "aws-ecr": { endpoint_pattern: { endpoint_type: "EndpointPatternTypeList", endpoints: aws } },
    "docker-hub": {
      endpoint_pattern: {
        endpoint_type: "EndpointPatternTypeFix",
        endpoints: [{ key: "hub.docker.com", value: "https://hub.docker.com" }],
      },
    },
    "github-ghcr": {
      endpoint_pattern: { endpoint_type: "EndpointPatternTypeFix", endpoints: [{ key: "ghcr.io", value: "https://ghcr.io" }] },
    },
    "google-gcr": {
      credential_pattern: {
        access_key_data: "_json_key",
        access_key_type: "AccessKeyTypeFix",
        access_secret_data: "No Change",
        access_secret_type: "AccessSecretTypeFile",
      },
      endpoint_pattern: {
        endpoint_type: "EndpointPatternTypeList",
        endpoints: ["gcr.io", "us.gcr.io", "eu.gcr.io", "asia.gcr.io"].map((k) => ({ key: k, value: `https://${k}` })),
      },
    },
    quay: {
      credential_pattern: { access_key_data: "json_file", access_key_type: "AccessKeyTypeFix", access_secret_type: "AccessSecretTypeFile" },
      // go-swagger emits a nil slice as null (arrays are not omitempty).
      endpoint_pattern: { endpoint_type: "EndpointPatternTypeStandard", endpoints: null },
    },
    // Both return an empty pattern; nil sub-objects are omitted.
    "tencent-tcr": {},
    "volcengine-cr": {},
  };
}

/** Body of GET /replication/adapterinfos for a whitelist. */
export function providerInfos(whitelist: readonly string[]): Record<string, ProviderInfo> {
  const all = allProviderInfos();
  const out: Record<string, ProviderInfo> = {};
  for (const [type, info] of Object.entries(all)) if (whitelist.includes(type)) out[type] = info;
  return out;
}

/** Body of GET /replication/adapters for a whitelist: registered ∩ whitelist, byte-wise sorted. */
export function providerTypes(whitelist: readonly string[]): string[] {
  return REGISTERED_ADAPTER_TYPES.filter((t) => whitelist.includes(t)).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

/** Body of GET /registries/{id}/info for an adapter type (`local` adds the event_based trigger of id 0). */
export function registryInfo(type: string, local: boolean): Record<string, unknown> {
  const filters: { type: string; style: string; values: string[] | null }[] = [
    { type: "name", style: "input", values: null },
    { type: "tag", style: "input", values: null },
  ];
  if (type === "harbor") filters.push({ type: "label", style: "list", values: [] });
  filters.push({ type: "resource", style: "radio", values: type === "azure-acr" ? ["image", "artifact"] : ["image"] });
  const triggers = ["manual", "scheduled"];
  if (local) triggers.push("event_based");
  const info: Record<string, unknown> = { supported_resource_filters: filters, supported_triggers: triggers, type };
  if (type === "harbor") return { supported_copy_by_chunk: true, ...info };
  return info;
}
