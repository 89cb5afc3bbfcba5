#!/usr/bin/env node
// Renders resources/icon.svg to the PNGs the app and its installers need, with no dependency: icon.png
// (512x512, which electron-builder converts to .icns, .ico and the Linux icon set) and the tray icons.
// `node resources/renderIcons.mjs` writes them; `--check` only verifies that they match the SVG.
//
// The SVG is kept to what this renderer draws: a viewBox at the origin, then <rect> (x, y, width,
// height, rx, fill) and <circle> (cx, cy, r, fill) with #rrggbb fills, painted in order. Anything
// else in it is an error, so a richer icon needs a richer renderer rather than a silent mismatch.
import { readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { crc32, deflateSync, inflateSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const OUTPUTS = [
  { file: 'icon.png', size: 512 },
  { file: 'tray.png', size: 32 },
  { file: 'tray@2x.png', size: 64 },
];
/** Samples per pixel side: 4x4 per pixel smooths the edges. */
const SUPERSAMPLE = 4;

function attributes(tag) {
  const attrs = {};
  for (const [, name, value] of tag.matchAll(/([a-zA-Z-]+)="([^"]*)"/g)) attrs[name] = value;
  return attrs;
}

function hexColor(fill) {
  const match = /^#([0-9a-f]{6})$/i.exec(fill ?? '');
  if (!match) throw new Error(`unsupported fill ${fill}: use #rrggbb`);
  const n = parseInt(match[1], 16);
  return [(n >> 16) & 255, (n >> 8) & 255, n & 255];
}

/** The SVG's shapes as inside-tests in viewBox units, in paint order. */
export function parseIcon(svg) {
  const viewBox = /viewBox="0 0 (\d+(?:\.\d+)?) (\d+(?:\.\d+)?)"/.exec(svg);
  if (!viewBox || viewBox[1] !== viewBox[2]) throw new Error('the icon needs a square viewBox="0 0 N N"');
  const shapes = [];
  for (const [tag, name] of svg.matchAll(/<([a-zA-Z]+)\b[^>]*>/g)) {
    const a = attributes(tag);
    if (name === 'svg') continue;
    if (name === 'rect') {
      const [x, y, w, h] = [a.x, a.y, a.width, a.height].map(Number);
      const r = Math.min(Number(a.rx ?? 0), w / 2, h / 2);
      shapes.push({
        color: hexColor(a.fill),
        inside: (px, py) => {
          const cx = Math.min(Math.max(px, x + r), x + w - r);
          const cy = Math.min(Math.max(py, y + r), y + h - r);
          return px >= x && px <= x + w && py >= y && py <= y + h && (px - cx) ** 2 + (py - cy) ** 2 <= r * r;
        },
      });
    } else if (name === 'circle') {
      const [cx, cy, r] = [a.cx, a.cy, a.r].map(Number);
      shapes.push({ color: hexColor(a.fill), inside: (px, py) => (px - cx) ** 2 + (py - cy) ** 2 <= r * r });
    } else {
      throw new Error(`unsupported element <${name}> in the icon`);
    }
  }
  return { units: Number(viewBox[1]), shapes };
}

/** RGBA rows, each led by PNG filter byte 0, for a size x size rendering. */
export function renderRows(icon, size) {
  const rows = Buffer.alloc(size * (1 + size * 4));
  const step = icon.units / size / SUPERSAMPLE;
  const samples = SUPERSAMPLE * SUPERSAMPLE;
  for (let y = 0; y < size; y += 1) {
    const row = y * (1 + size * 4);
    for (let x = 0; x < size; x += 1) {
      let r = 0, g = 0, b = 0, covered = 0;
      for (let sy = 0; sy < SUPERSAMPLE; sy += 1) {
        for (let sx = 0; sx < SUPERSAMPLE; sx += 1) {
          const px = (x * SUPERSAMPLE + sx + 0.5) * step;
          const py = (y * SUPERSAMPLE + sy + 0.5) * step;
          let top;
          for (const shape of icon.shapes) if (shape.inside(px, py)) top = shape;
          if (top) {
            r += top.color[0];
            g += top.color[1];
            b += top.color[2];
            covered += 1;
          }
        }
      }
      const at = row + 1 + x * 4;
      if (covered > 0) {
        rows[at] = Math.round(r / covered);
        rows[at + 1] = Math.round(g / covered);
        rows[at + 2] = Math.round(b / covered);
        rows[at + 3] = Math.round((covered / samples) * 255);
      }
    }
  }
  return rows;
}

function chunk(type, data) {
  const length = Buffer.alloc(4);
  length.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([length, body, crc]);
}

export function encodePng(size, rows) {
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bits per channel
  header[9] = 6; // RGBA
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(rows, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** The size and raw rows of a PNG this script wrote (compressed bytes may differ between zlib versions; pixels may not). */
export function decodeOwnPng(png) {
  let offset = 8;
  let size = 0;
  const data = [];
  while (offset < png.length) {
    const length = png.readUInt32BE(offset);
    const type = png.toString('ascii', offset + 4, offset + 8);
    const body = png.subarray(offset + 8, offset + 8 + length);
    if (type === 'IHDR') size = body.readUInt32BE(0);
    if (type === 'IDAT') data.push(body);
    offset += 12 + length;
  }
  return { size, rows: inflateSync(Buffer.concat(data)) };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const icon = parseIcon(readFileSync(join(here, 'icon.svg'), 'utf8'));
  const check = process.argv.includes('--check');
  const stale = [];
  for (const { file, size } of OUTPUTS) {
    const rows = renderRows(icon, size);
    const path = join(here, file);
    if (!check) {
      writeFileSync(path, encodePng(size, rows));
      continue;
    }
    try {
      const current = decodeOwnPng(readFileSync(path));
      if (current.size !== size || !current.rows.equals(rows)) stale.push(file);
    } catch {
      stale.push(file);
    }
  }
  if (stale.length > 0) {
    process.stderr.write(`out of date with icon.svg: ${stale.join(', ')} (run node resources/renderIcons.mjs)\n`);
    process.exitCode = 1;
  }
}
