import { auditHash, canonicalJson, GENESIS_HASH } from "../../../domain/audit/hash";

describe("audit hashing", () => {
  it("writes JSON with sorted keys at every level", () => {
    expect(canonicalJson({ b: 1, a: { d: [3, { z: 1, y: 2 }], c: null } })).toBe('{"a":{"c":null,"d":[3,{"y":2,"z":1}]},"b":1}');
    expect(canonicalJson({ a: undefined, b: 2 })).toBe('{"b":2}');
  });

  const fields = {
    tenantCode: "35.22",
    at: new Date("2026-01-02T03:04:05.678Z"),
    actorId: null,
    actorName: "admin",
    action: "UserCreated",
    entityType: "User",
    entityId: "x",
    before: null,
    after: { roles: ["admin@tenant:35.22"], name: "A" },
  };

  it("is stable for the same content whatever the key order, and changes with any field or the link", () => {
    const h = auditHash(GENESIS_HASH, fields);
    expect(h).toMatch(/^[0-9a-f]{64}$/);
    expect(auditHash(GENESIS_HASH, { ...fields, after: { name: "A", roles: ["admin@tenant:35.22"] } })).toBe(h);
    expect(auditHash(GENESIS_HASH, { ...fields, after: { name: "B", roles: ["admin@tenant:35.22"] } })).not.toBe(h);
    expect(auditHash(GENESIS_HASH, { ...fields, at: new Date("2026-01-02T03:04:05.679Z") })).not.toBe(h);
    expect(auditHash(h, fields)).not.toBe(h);
  });
});
