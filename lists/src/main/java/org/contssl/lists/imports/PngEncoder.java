package org.contssl.lists.imports;

import java.io.ByteArrayOutputStream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;

/**
 * Minimal PNG writer for 8-bit grey and RGB images. Exists because exporting tens of thousands of small images is on
 * the demo's critical path: this writer with {@link Deflater#BEST_SPEED} and no row filters is several times faster
 * than ImageIO's (measured in {@code ListsBenchmark}), and the files are ordinary PNGs any decoder reads.
 * One instance per thread (it reuses its deflater and buffers).
 */
public final class PngEncoder {

    private static final byte[] SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    private final Deflater deflater;
    private final CRC32 crc = new CRC32();
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(4096);
    private byte[] raw = new byte[0];
    private byte[] zbuf = new byte[1 << 16];

    public PngEncoder() {
        this(Deflater.BEST_SPEED);
    }

    public PngEncoder(int level) {
        this.deflater = new Deflater(level);
    }

    public byte[] encode(Raster8 img) {
        int stride = img.width() * img.channels();
        int rawLen = (stride + 1) * img.height();
        if (raw.length < rawLen) {
            raw = new byte[rawLen];
        }
        byte[] src = img.data();
        for (int y = 0; y < img.height(); y++) {
            int o = y * (stride + 1);
            raw[o] = 0; // filter type "none": cheapest, and small images gain little from filtering
            System.arraycopy(src, y * stride, raw, o + 1, stride);
        }
        out.reset();
        out.writeBytes(SIGNATURE);

        byte[] ihdr = new byte[13];
        putInt(ihdr, 0, img.width());
        putInt(ihdr, 4, img.height());
        ihdr[8] = 8; // bit depth
        ihdr[9] = (byte) (img.channels() == 1 ? 0 : 2); // colour type: grey or truecolour
        chunk("IHDR", ihdr, 0, 13);

        deflater.reset();
        deflater.setInput(raw, 0, rawLen);
        deflater.finish();
        int zlen = 0;
        while (!deflater.finished()) {
            if (zlen == zbuf.length) {
                zbuf = java.util.Arrays.copyOf(zbuf, zbuf.length * 2);
            }
            zlen += deflater.deflate(zbuf, zlen, zbuf.length - zlen);
        }
        chunk("IDAT", zbuf, 0, zlen);
        chunk("IEND", new byte[0], 0, 0);
        return out.toByteArray();
    }

    private void chunk(String type, byte[] data, int off, int len) {
        byte[] head = new byte[8];
        putInt(head, 0, len);
        for (int i = 0; i < 4; i++) {
            head[4 + i] = (byte) type.charAt(i);
        }
        out.write(head, 0, 8);
        out.write(data, off, len);
        crc.reset();
        crc.update(head, 4, 4);
        crc.update(data, off, len);
        byte[] c = new byte[4];
        putInt(c, 0, (int) crc.getValue());
        out.write(c, 0, 4);
    }

    private static void putInt(byte[] b, int off, int v) {
        b[off] = (byte) (v >>> 24);
        b[off + 1] = (byte) (v >>> 16);
        b[off + 2] = (byte) (v >>> 8);
        b[off + 3] = (byte) v;
    }
}
