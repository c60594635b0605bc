/** The API takes a photo of at most 500 kB (decoded). */
export const MAX_PHOTO_BYTES = 500 * 1024;

const MAX_SIDE = 800;

// createImageBitmap decodes without a URL: the server's CSP allows no blob: images.
async function loadImage(file: Blob): Promise<ImageBitmap> {
  try {
    return await createImageBitmap(file);
  } catch {
    throw new Error('The file is not an image this browser can read.');
  }
}

function toJpeg(canvas: HTMLCanvasElement, quality: number): Promise<Blob> {
  return new Promise((resolve, reject) =>
    canvas.toBlob(
      (b) => (b ? resolve(b) : reject(new Error('The photo could not be encoded.'))),
      'image/jpeg',
      quality,
    ),
  );
}

function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('The photo could not be read.'));
    reader.readAsDataURL(blob);
  });
}

/**
 * Scales a picture (a phone camera's 4000 px JPEG) down to at most 800 px on its longest side and encodes it
 * as JPEG, lowering quality and then size until it fits in 500 kB.
 */
export async function resizePhoto(file: Blob): Promise<{ blob: Blob; data: string }> {
  const img = await loadImage(file);
  let scale = Math.min(1, MAX_SIDE / Math.max(img.width, img.height));
  for (let attempt = 0; attempt < 6; attempt++) {
    const canvas = document.createElement('canvas');
    canvas.width = Math.max(1, Math.round(img.width * scale));
    canvas.height = Math.max(1, Math.round(img.height * scale));
    const ctx = canvas.getContext('2d');
    if (!ctx) throw new Error('This browser cannot resize images.');
    // A transparent PNG would turn black as JPEG.
    ctx.fillStyle = '#ffffff';
    ctx.fillRect(0, 0, canvas.width, canvas.height);
    ctx.drawImage(img, 0, 0, canvas.width, canvas.height);
    for (const quality of [0.85, 0.7, 0.55]) {
      const blob = await toJpeg(canvas, quality);
      if (blob.size <= MAX_PHOTO_BYTES) {
        img.close();
        return { blob, data: await base64Of(blob) };
      }
    }
    scale *= 0.7;
  }
  img.close();
  throw new Error('The photo could not be made small enough; choose another picture.');
}
