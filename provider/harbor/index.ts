// Barrel of the Harbor API layer: the client, its wire models, retry policy and transport.
export * from "./client";
export * from "./models";
export * from "./retry";
export * from "./transport";
