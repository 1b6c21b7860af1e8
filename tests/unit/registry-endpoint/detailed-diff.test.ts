// The detailedDiff bridge: diff's changed fields reach the DiffResponse the dynamic-provider host builds.
import * as assert from "node:assert/strict";
import * as pb from "@pulumi/pulumi/proto/provider_pb";
import { installDetailedDiffBridge, toDetailedDiff, withDetailedDiff, type ProviderProto } from "../../../provider/detailed-diff";
import { diffRegistryEndpoint } from "../../../provider/registry-endpoint/diff";

const proto = pb as unknown as ProviderProto & typeof pb;

/** What the host does with a diff result (cmd/dynamic-provider diff()), as far as the response goes. */
function hostResponse(result: { changes?: boolean; replaces?: string[] }): pb.DiffResponse {
  const resp = new proto.DiffResponse();
  if (result.changes === true) resp.setChanges(proto.DiffResponse.DiffChanges.DIFF_SOME);
  else if (result.changes === false) resp.setChanges(proto.DiffResponse.DiffChanges.DIFF_NONE);
  if (result.replaces && result.replaces.length > 0) resp.setReplacesList(result.replaces);
  return resp;
}

describe("detailedDiff bridge", () => {
  before(() => assert.equal(installDetailedDiffBridge(proto), true));

  it("a rotated secret: diffs and detailedDiff name accessSecret only, as an input update", () => {
    const base = { providerName: "docker-registry", name: "m", endpointUrl: "https://r.example.com", accessId: "u", description: "one" };
    const d = diffRegistryEndpoint({ ...base, accessSecret: "s1" }, { ...base, accessSecret: "s2" });
    const resp = hostResponse(withDetailedDiff({ changes: d.changes, replaces: d.replaces }, toDetailedDiff(d.changed, d.replaces)));
    assert.deepEqual(resp.getDiffsList(), ["accessSecret"]);
    assert.equal(resp.getHasdetaileddiff(), true);
    const entry = resp.getDetaileddiffMap().get("accessSecret")!;
    assert.equal(entry.getKind(), proto.PropertyDiff.Kind.UPDATE);
    assert.equal(entry.getInputdiff(), true);
    assert.deepEqual(resp.getDetaileddiffMap().getEntryList().map(([k]) => k), ["accessSecret"]);
  });

  it("a type change is an update-replace of providerName", () => {
    const resp = hostResponse(withDetailedDiff({ changes: true, replaces: ["providerName"] }, toDetailedDiff(["providerName"], ["providerName"])));
    assert.equal(resp.getDetaileddiffMap().get("providerName")!.getKind(), proto.PropertyDiff.Kind.UPDATE_REPLACE);
  });

  it("a response built without a diff result of ours gets no detail (nothing leaks from an earlier diff)", async () => {
    withDetailedDiff({ changes: true }, toDetailedDiff(["description"], [])).changes; // read, never followed by setChanges
    await Promise.resolve();
    const resp = hostResponse({ changes: true });
    assert.deepEqual(resp.getDiffsList(), []);
    assert.equal(resp.getHasdetaileddiff(), false);
  });

  it("no changes: no detail", () => {
    const resp = hostResponse(withDetailedDiff({ changes: false }, {}));
    assert.equal(resp.getHasdetaileddiff(), false);
  });
});
