// The local subnet's fixed cast: dev hotkeys (well-known //Alice... secret URIs, never real funds)
// and a demo API key that only exists in the emulator data of project demo-consensus.
export const DEMO_API_KEY = "lpk_demo_local_emulator_only";

export const DEMO_VALIDATORS = [
  { uri: "//Alice", uid: 0, trust: 0.6 },
  { uri: "//Bob", uid: 1, trust: 0.3 },
  { uri: "//Charlie", uid: 2, trust: 0.1 },
];

export const DEMO_MINERS = [
  { uri: "//Dave", uid: 10 },
  { uri: "//Eve", uid: 11 },
];

export const DEMO_REQUEST = {
  num_leads: 5,
  business_desc: "B2B SaaS platform selling sales-automation software to VPs of Sales at US tech companies",
};
