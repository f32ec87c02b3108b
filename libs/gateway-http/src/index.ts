/** The gateway's HTTP layer: the NestJS app over @facex/gateway-core, the OpenAPI document and the embedded mode. */
export * from './docs/openapi-document';
export * from './embedded/embedded';
export { DEFAULT_PLAYGROUND_DIR, playgroundFromEnv, type PlaygroundOptions } from './playground/playground.module';
export * from './start-gateway';
