import { spawn } from 'node:child_process';

// pdf-parse (pdf.js) loads its worker with a dynamic import(), which jest's
// CommonJS sandbox refuses; a plain Node process runs it as published.
const EXTRACT = `
const { PDFParse } = require(process.argv[1]);
const chunks = [];
process.stdin.on('data', (chunk) => chunks.push(chunk)).on('end', async () => {
  const parser = new PDFParse({ data: new Uint8Array(Buffer.concat(chunks)) });
  const info = await parser.getInfo();
  const text = await parser.getText();
  await parser.destroy();
  process.stdout.write(JSON.stringify({ pages: text.pages.map((page) => page.text), info: info.info }));
});
`;

export interface ExtractedPdf {
  pages: string[];
  info: Record<string, unknown>;
}

/** The text of each page of `pdf`, as a PDF reader extracts it, and its document info. */
export function extractPdf(pdf: Buffer): Promise<ExtractedPdf> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['-e', EXTRACT, require.resolve('pdf-parse')], { stdio: ['pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`pdf text extraction exited ${code}: ${Buffer.concat(err).toString()}`));
      else resolve(JSON.parse(Buffer.concat(out).toString('utf8')) as ExtractedPdf);
    });
    child.stdin.end(pdf);
  });
}
