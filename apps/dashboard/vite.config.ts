// Builds the dashboard into dist/, which the API serves at /. In
// development (`npm run dev -w @hourglass/dashboard`) Vite serves it and
// forwards /v1 to the API named by HOURGLASS_API_URL.
import react from '@vitejs/plugin-react';
import { defineConfig } from 'vite';

const apiUrl = process.env.HOURGLASS_API_URL ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [react()],
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 800 },
  server: { proxy: { '/v1': { target: apiUrl, changeOrigin: true } } },
});
