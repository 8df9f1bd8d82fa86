/* Jifen camera: shrink a photo on the phone before it is stored (long edge ≤ 1600 px, JPEG 0.8),
 * upright (EXIF orientation applied), without metadata, and name it by its SHA-256. */
(function (self) {
  "use strict";
  const J = (self.Jifen = self.Jifen || {});
  const MAX_EDGE = 1600;
  const QUALITY = 0.8;

  async function decode(file) {
    if (self.createImageBitmap) {
      try {
        return await createImageBitmap(file, { imageOrientation: "from-image" });
      } catch (e) {
        try { return await createImageBitmap(file); } catch (e2) { /* fall back to <img> */ }
      }
    }
    const url = URL.createObjectURL(file);
    try {
      const img = new Image();
      img.decoding = "async";
      img.src = url;
      await img.decode();
      return img;
    } finally {
      setTimeout(() => URL.revokeObjectURL(url), 0);
    }
  }

  function canvasFor(width, height) {
    if (self.OffscreenCanvas) return new OffscreenCanvas(width, height);
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }

  function encode(canvas) {
    if (canvas.convertToBlob) return canvas.convertToBlob({ type: "image/jpeg", quality: QUALITY });
    return new Promise((resolve, reject) =>
      canvas.toBlob((b) => (b ? resolve(b) : reject(new Error("encode"))), "image/jpeg", QUALITY));
  }

  async function sha256(blob) {
    const digest = await crypto.subtle.digest("SHA-256", await blob.arrayBuffer());
    return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
  }

  /** A File from <input type=file> → {sha, blob, type, width, height}. */
  async function prepare(file) {
    const image = await decode(file);
    const w0 = image.width || image.naturalWidth;
    const h0 = image.height || image.naturalHeight;
    const scale = Math.min(1, MAX_EDGE / Math.max(w0, h0));
    const width = Math.max(1, Math.round(w0 * scale));
    const height = Math.max(1, Math.round(h0 * scale));
    const canvas = canvasFor(width, height);
    const ctx = canvas.getContext("2d");
    ctx.imageSmoothingQuality = "high";
    ctx.drawImage(image, 0, 0, width, height);
    if (image.close) image.close();
    const blob = await encode(canvas);
    return { sha: await sha256(blob), blob, type: "image/jpeg", width, height };
  }

  J.Camera = { prepare, sha256, MAX_EDGE, QUALITY };
})(self);
