import { clientIpOf, plainAddress, trustProxySetting } from "../../../app/load-context";
import { DAILY_HARD_LIMIT, DAILY_SOFT_LIMIT, IP_DAILY_HARD_LIMIT, IP_DAILY_SOFT_LIMIT, dailyLimits, sourceKey } from "../../../domain/oversight/rules";

describe("TRUST_PROXY", () => {
  it("is off unless set: the socket's peer is the client", () => {
    for (const raw of [undefined, "", " ", "0", "false", "FALSE"]) expect(trustProxySetting(raw)).toBe(false);
  });
  it("a number counts the proxies in front; true trusts every hop; anything else lists trusted addresses", () => {
    expect(trustProxySetting("1")).toBe(1);
    expect(trustProxySetting(" 2 ")).toBe(2);
    expect(trustProxySetting("true")).toBe(true);
    expect(trustProxySetting("loopback, 10.0.0.0/8")).toBe("loopback, 10.0.0.0/8");
  });
});

describe("the client's address", () => {
  it("drops the IPv4-mapped IPv6 prefix, keeps real IPv6", () => {
    expect(plainAddress("::ffff:203.0.113.9")).toBe("203.0.113.9");
    expect(plainAddress("2001:db8::1")).toBe("2001:db8::1");
    expect(plainAddress("")).toBeUndefined();
    expect(plainAddress(undefined)).toBeUndefined();
  });
  it("is read from the load context when the server gave one", () => {
    expect(clientIpOf({ clientIp: "203.0.113.9" })).toBe("203.0.113.9");
    expect(clientIpOf({})).toBeNull();
    expect(clientIpOf(undefined)).toBeNull();
    expect(clientIpOf({ clientIp: 42 })).toBeNull();
  });
});

describe("daily limits per source", () => {
  it("an address, often shared (mobile NAT, an office's wifi), has wider limits than a browser", () => {
    expect(dailyLimits(sourceKey("ip", "203.0.113.9"))).toEqual({ soft: IP_DAILY_SOFT_LIMIT, hard: IP_DAILY_HARD_LIMIT });
    expect(dailyLimits(sourceKey("session", "abc"))).toEqual({ soft: DAILY_SOFT_LIMIT, hard: DAILY_HARD_LIMIT });
    expect(dailyLimits(sourceKey("user", "u-1"))).toEqual({ soft: DAILY_SOFT_LIMIT, hard: DAILY_HARD_LIMIT });
    expect(IP_DAILY_SOFT_LIMIT).toBeGreaterThan(DAILY_SOFT_LIMIT);
    expect(IP_DAILY_HARD_LIMIT).toBeGreaterThan(DAILY_HARD_LIMIT);
  });
});
