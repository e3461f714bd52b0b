/**
 * The console's build: Vite bundles console/src into console/dist, which the hub serves at `/`.
 * In development (`npx vite console`) the API calls go to a hub on LEDGERLINK_URL (default :4100).
 */
import { defineConfig } from 'vite';
import react from '@vitejs/plugin-react';

const hub = process.env['LEDGERLINK_URL'] ?? 'http://127.0.0.1:4100';

export default defineConfig({
  root: import.meta.dirname,
  base: '/',
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 1024 },
  server: { proxy: { '/v1': hub, '/docs': hub } },
});
