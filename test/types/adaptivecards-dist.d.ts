// The package's `lib/` build is ESM with extensionless imports that Node cannot load;
// its UMD bundle in `dist/` loads anywhere and has the same API as `lib/`.
declare module 'adaptivecards/dist/adaptivecards.js' {
  export * from 'adaptivecards';
}
