export { type BarcodeImage, type Code128Options, code128, dataMatrix, type QrOptions, qr } from './barcodes';
export {
  type FitTextOptions,
  fitText,
  fonts,
  mm,
  type PageSize,
  type PdfDocument,
  type PdfOptions,
  pageSizes,
  renderPdf,
} from './pdf';
export { toStandardFontText } from './standard-font-text';
