export * from './glob-matches';
