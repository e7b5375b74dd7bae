export { AppHomeService, type AppHomeServiceOptions, HOME_LIST_MAX } from './app-home-service.js';
export type { HomeQueries } from './ports.js';
export type { HomeData, HomeRequest } from './types.js';
