export * from './codes';
export * from './numbers';
export * from './requests';
export * from './responses';
