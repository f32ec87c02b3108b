export * from './sign-webhook';
export * from './delivery-outcome';
export * from './webhook-backoff';
export * from './deliver-webhook';
export * from './build-edit-event';
export * from './webhook-delivery-service';
