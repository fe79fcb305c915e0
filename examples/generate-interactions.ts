/**
 * Writes examples/data/interactions.csv, the sample Interactions data of the example app.
 *
 *   npx ts-node --transpile-only --project examples/tsconfig.json examples/generate-interactions.ts
 *
 * The data is synthetic and deterministic (a seeded generator; the same bytes on every run):
 * 100 users with 30 interactions each over 250 items in 5 genres. Each user prefers one genre,
 * and popular items are picked more often, so that there is something to learn. It meets
 * Personalize's minimum for training (1000 interactions, 25 users with at least 2 each).
 */
import * as fs from 'fs';
import * as path from 'path';

export const INTERACTIONS_CSV = path.join(__dirname, 'data', 'interactions.csv');

/** Columns in the order of the file; the names match the Interactions schema's fields. */
export const INTERACTIONS_COLUMNS = ['USER_ID', 'ITEM_ID', 'TIMESTAMP', 'EVENT_TYPE'] as const;

const USERS = 100;
const ITEMS = 250;
const GENRES = 5;
const PER_USER = 30;
/** 2025-01-01T00:00:00Z, in Unix seconds (Personalize's TIMESTAMP unit). */
const START = 1_735_689_600;
/** The events spread over 90 days. */
const SPAN_SECONDS = 90 * 24 * 3600;

/** Park and Miller's minimal standard generator: small, seeded, and exact in floating point. */
function random(seed: number): () => number {
  const M = 2_147_483_647;
  let state = (seed % (M - 1)) + 1;
  return () => {
    state = (state * 48_271) % M;
    return (state - 1) / (M - 1);
  };
}

const pad = (n: number, width: number) => String(n).padStart(width, '0');

/** The CSV, header first, rows in time order. */
export function generateInteractions(seed = 42): string {
  const rand = random(seed);
  // Item i belongs to genre i % GENRES; a lower index within its genre is more popular.
  const pick = (genre: number) => {
    const perGenre = ITEMS / GENRES;
    const rank = Math.floor(perGenre * Math.pow(rand(), 2));
    return rank * GENRES + genre;
  };
  const rows: Array<{ user: number; item: number; time: number; event: string }> = [];
  for (let user = 0; user < USERS; user++) {
    const favourite = user % GENRES;
    for (let n = 0; n < PER_USER; n++) {
      const genre = rand() < 0.75 ? favourite : Math.floor(rand() * GENRES);
      const item = pick(genre);
      const time = START + Math.floor(rand() * SPAN_SECONDS);
      const event = rand() < 0.2 ? 'purchase' : 'click';
      rows.push({ user, item, time, event });
    }
  }
  rows.sort((a, b) => a.time - b.time || a.user - b.user || a.item - b.item);
  const lines = rows.map(r => `user-${pad(r.user + 1, 3)},item-${pad(r.item + 1, 3)},${r.time},${r.event}`);
  return [INTERACTIONS_COLUMNS.join(','), ...lines].join('\n') + '\n';
}

if (require.main === module) {
  fs.mkdirSync(path.dirname(INTERACTIONS_CSV), { recursive: true });
  fs.writeFileSync(INTERACTIONS_CSV, generateInteractions());
  console.log(`Wrote ${path.relative(process.cwd(), INTERACTIONS_CSV)}`);
}
