import { defineConfig } from 'vite';
import { svelte } from '@sveltejs/vite-plugin-svelte';

// The Tauri shell loads ui/dist in production and this dev server (fixed port) under `tauri dev`.
export default defineConfig({
  plugins: [svelte()],
  clearScreen: false,
  server: { port: 1420, strictPort: true },
  build: {
    outDir: 'dist',
    // Never inline assets as data: URLs: the CSP allows 'self' only.
    assetsInlineLimit: 0,
  },
});
