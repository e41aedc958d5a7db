// Decodes the CC0 radiance maps of npm @pmndrs/assets 1.7.0 (hdri/*.exr.js: a base64 data URL of a DWAB
// OpenEXR) with three.js's EXRLoader and writes each as a little-endian PFM (bottom row first, as PFM and
// EXRLoader's output both are). fetch-hdri.sh converts the PFMs to Radiance .hdr with pfstools.
// Usage: node fetch-hdri.mjs NODE_MODULES_DIR OUT_DIR
import fs from 'node:fs';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

const [modules, out] = process.argv.slice(2);
if (!modules || !out) { console.error('usage: node fetch-hdri.mjs NODE_MODULES_DIR OUT_DIR'); process.exit(2); }
const three = await import(pathToFileURL(path.join(modules, 'three/build/three.module.js')).href);
const { EXRLoader } = await import(pathToFileURL(path.join(modules, 'three/examples/jsm/loaders/EXRLoader.js')).href);
const hdriDir = path.join(modules, '@pmndrs/assets/hdri');
fs.mkdirSync(out, { recursive: true });
const loader = new EXRLoader().setDataType(three.FloatType);
for (const file of fs.readdirSync(hdriDir).filter(f => f.endsWith('.exr.js')).sort()) {
  const name = file.replace(/\.exr\.js$/, '');
  const url = (await import(pathToFileURL(path.join(hdriDir, file)).href)).default;
  const bytes = Buffer.from(url.slice(url.indexOf(',') + 1), 'base64');
  const exr = loader.parse(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const { width, height, data } = exr;
  const stride = data.length / (width * height); // RGBA from EXRLoader
  const rgb = new Float32Array(width * height * 3);
  for (let i = 0; i < width * height; i++)
    for (let c = 0; c < 3; c++) rgb[i * 3 + c] = data[i * stride + c];
  const header = Buffer.from(`PF\n${width} ${height}\n-1.0\n`, 'ascii');
  fs.writeFileSync(path.join(out, `${name}.pfm`), Buffer.concat([header, Buffer.from(rgb.buffer)]));
  console.log(`${name}: ${width}x${height}`);
}
