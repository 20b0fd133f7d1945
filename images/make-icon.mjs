// Draws images/icon.png (128×128): a 2-4-1 network whose edges carry the
// forward pass (blue) and the backward pass (orange). Run: node images/make-icon.mjs
import { writeFileSync } from "node:fs";
import { deflateSync } from "node:zlib";

const size = 128;
const samples = 4; // per axis, for anti-aliasing

const layers = [
  [{ x: 26, y: 46 }, { x: 26, y: 82 }],
  [{ x: 64, y: 22 }, { x: 64, y: 50 }, { x: 64, y: 78 }, { x: 64, y: 106 }],
  [{ x: 102, y: 64 }],
];
const blue = [122, 162, 247];
const orange = [255, 158, 100];
const white = [236, 239, 255];

function segmentDistance(px, py, a, b) {
  const dx = b.x - a.x;
  const dy = b.y - a.y;
  const t = Math.max(0, Math.min(1, ((px - a.x) * dx + (py - a.y) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(px - (a.x + t * dx), py - (a.y + t * dy));
}

function insideRoundedSquare(px, py, margin, radius) {
  const lo = margin + radius;
  const hi = size - margin - radius;
  const cx = Math.min(Math.max(px, lo), hi);
  const cy = Math.min(Math.max(py, lo), hi);
  return Math.hypot(px - cx, py - cy) <= radius;
}

/** The colour (premultiplied by nothing: straight RGBA) at one sample point. */
function shade(px, py) {
  if (!insideRoundedSquare(px, py, 2, 24)) return [0, 0, 0, 0];
  const t = (px + py) / (2 * size);
  let colour = [30 + 14 * t, 30 + 10 * t, 46 + 40 * t];
  const over = (rgb, alpha) => (colour = colour.map((c, i) => c + (rgb[i] - c) * alpha));
  for (const [from, to, rgb] of [[layers[0], layers[1], blue], [layers[1], layers[2], orange]]) {
    for (const a of from) for (const b of to) if (segmentDistance(px, py, a, b) <= 2.2) over(rgb, 0.9);
  }
  for (const [index, layer] of layers.entries()) {
    for (const node of layer) {
      const d = Math.hypot(px - node.x, py - node.y);
      if (d <= 10) over(index === 2 ? orange : blue, 1);
      if (d <= 7) over(white, 1);
    }
  }
  return [...colour, 255];
}

const rows = [];
for (let y = 0; y < size; y++) {
  const row = Buffer.alloc(1 + size * 4);
  for (let x = 0; x < size; x++) {
    const sum = [0, 0, 0, 0];
    for (let sy = 0; sy < samples; sy++) {
      for (let sx = 0; sx < samples; sx++) {
        const [r, g, b, a] = shade(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
        sum[0] += r * a; sum[1] += g * a; sum[2] += b * a; sum[3] += a;
      }
    }
    const alpha = sum[3] / (samples * samples);
    const pixel = alpha === 0 ? [0, 0, 0, 0] : [sum[0] / sum[3], sum[1] / sum[3], sum[2] / sum[3], alpha];
    pixel.forEach((value, i) => (row[1 + x * 4 + i] = Math.round(value)));
  }
  rows.push(row);
}

const crcTable = Array.from({ length: 256 }, (_, n) => {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
  return c >>> 0;
});
const crc32 = (bytes) => {
  let c = 0xffffffff;
  for (const byte of bytes) c = crcTable[(c ^ byte) & 0xff] ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
};
function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, "ascii"), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}
const header = Buffer.alloc(13);
header.writeUInt32BE(size, 0);
header.writeUInt32BE(size, 4);
header[8] = 8; // bit depth
header[9] = 6; // RGBA
const png = Buffer.concat([
  Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  chunk("IHDR", header),
  chunk("IDAT", deflateSync(Buffer.concat(rows), { level: 9 })),
  chunk("IEND", Buffer.alloc(0)),
]);
writeFileSync(new URL("./icon.png", import.meta.url), png);
console.log(`images/icon.png: ${size}×${size}, ${png.length} bytes`);
