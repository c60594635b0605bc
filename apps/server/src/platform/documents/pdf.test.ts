import { getDocument } from 'pdfjs-dist/legacy/build/pdf.mjs';
import { describe, expect, it } from 'vitest';
import { fitText, fonts, mm, type PageSize, pageSizes, renderPdf } from './pdf';

// Opens the PDF with pdf.js (Firefox's reader) and returns what a reader sees: pages, sizes, text, title.
async function readPdf(pdf: Buffer) {
  const document = await getDocument({ data: new Uint8Array(pdf), verbosity: 0 }).promise;
  try {
    const pages = [];
    for (let n = 1; n <= document.numPages; n++) {
      const page = await document.getPage(n);
      const [x0, y0, x1, y1] = page.view as [number, number, number, number];
      const content = await page.getTextContent();
      // One item per line drawn here (pdf.js adds empty items for the line ends).
      const lines = content.items
        .map((item) => ('str' in item ? item.str : ''))
        .filter((line) => line !== '');
      pages.push({ width: x1 - x0, height: y1 - y0, text: lines.join('\n') });
    }
    const { info } = (await document.getMetadata()) as { info: { Title?: string; Author?: string } };
    return { pages, info };
  } finally {
    await document.destroy();
  }
}

describe('mm', () => {
  it('converts millimetres to points, 25.4 mm being 72 pt', () => {
    expect(mm(25.4)).toBeCloseTo(72, 10);
    expect(mm(210)).toBeCloseTo(595.28, 2);
    expect(mm(0)).toBe(0);
  });
});

describe('renderPdf', () => {
  it.each<[string, PageSize]>([
    ['A4', pageSizes.A4],
    ['CR80 card', pageSizes.CR80],
    ['adult wristband', pageSizes.adultWristband],
    ['custom 38 x 19 mm label', { widthMm: 38, heightMm: 19 }],
  ])('builds a one-page PDF of the %s size that a reader opens', async (_name, size) => {
    const pdf = await renderPdf({ size, title: 'Size check', author: 'City Hospital' }, (doc) => {
      doc.fontSize(6).text('Hello', mm(1), mm(1));
    });

    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    expect(pdf.subarray(-6).toString('latin1')).toBe('%%EOF\n');
    const { pages, info } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    expect(pages[0]!.width).toBeCloseTo(mm(size.widthMm), 2);
    expect(pages[0]!.height).toBeCloseTo(mm(size.heightMm), 2);
    expect(pages[0]!.text).toBe('Hello');
    expect(info).toMatchObject({ Title: 'Size check', Author: 'City Hospital' });
  });

  it('writes Indian names in Latin script as searchable text, folding letters the font lacks', async () => {
    const pdf = await renderPdf({ size: pageSizes.A5, title: 'Names' }, (doc) => {
      doc.font(fonts.bold).fontSize(12).text('Śrīnivās Nārāyaṇan', mm(10), mm(10));
      doc.font(fonts.regular).text('José Fernandes', mm(10), mm(20));
      doc.text('Reḍḍy, राम', mm(10), mm(30));
    });
    const text = (await readPdf(pdf)).pages[0]!.text;
    expect(text.split('\n')).toEqual(['Srinivas Narayanan', 'José Fernandes', 'Reddy, ??']);
  });

  it('waits for an asynchronous drawing before it closes the document', async () => {
    const pdf = await renderPdf({ size: pageSizes.A5, title: 'Async' }, async (doc) => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      doc.text('After a pause', mm(10), mm(10));
    });
    expect((await readPdf(pdf)).pages[0]!.text).toBe('After a pause');
  });

  it('rejects when the drawing throws, instead of returning half a document', async () => {
    const failing = renderPdf({ size: pageSizes.A5, title: 'Broken' }, () => {
      throw new Error('no MRN');
    });
    await expect(failing).rejects.toThrow('no MRN');
  });
});

describe('fitText', () => {
  it('keeps a name that fits at the size asked for', async () => {
    let used = 0;
    const pdf = await renderPdf({ size: pageSizes.CR80, title: 'Fit' }, (doc) => {
      used = fitText(doc, 'Asha Rao', mm(3), mm(3), { width: mm(70), size: 11, font: fonts.bold });
    });
    expect(used).toBe(11);
    expect((await readPdf(pdf)).pages[0]!.text).toBe('Asha Rao');
  });

  it('shrinks a long name to fit one line, and cuts it with an ellipsis only below the smallest size', async () => {
    const name = 'Venkata Satya Naga Lakshmi Durga Prasad Rao Chowdary';
    let shrunk = 0;
    let cut = 0;
    const pdf = await renderPdf({ size: pageSizes.CR80, title: 'Fit' }, (doc) => {
      shrunk = fitText(doc, name, mm(3), mm(3), { width: mm(79), size: 11, minSize: 6 });
      cut = fitText(doc, name, mm(3), mm(20), { width: mm(40), size: 11, minSize: 6 });
    });

    expect(shrunk).toBeLessThan(11);
    expect(shrunk).toBeGreaterThan(6);
    expect(cut).toBe(6);
    const { pages } = await readPdf(pdf);
    expect(pages).toHaveLength(1);
    const [whole, truncated] = pages[0]!.text.split('\n');
    expect(whole).toBe(name);
    expect(truncated).toMatch(/^Venkata Satya .+…$/);
    expect(truncated!.length).toBeLessThan(name.length);
  });
});
