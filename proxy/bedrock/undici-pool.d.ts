// undici's Pool on its own (the package index also loads fetch, WebSocket, caches…).
declare module 'undici/lib/dispatcher/pool.js' {
  import type { Pool } from 'undici';
  const PoolImpl: typeof Pool;
  export default PoolImpl;
}
