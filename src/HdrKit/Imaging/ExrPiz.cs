using System.Buffers.Binary;

namespace HdrKit.Imaging;

/// <summary>
/// Decoder for OpenEXR's PIZ blocks, written from the OpenEXR file-format description: a bitmap of the 16-bit
/// values that occur, a Huffman-coded stream of their indices, a 2D Haar-like wavelet per channel, then the
/// per-channel planes are re-interleaved line by line.
/// </summary>
internal static class ExrPiz
{
    private const int BitmapSize = 8192, EncodingSize = 65537;
    private const int ShortZeroRun = 59, LongZeroRun = 63, ShortestLongRun = 2 + LongZeroRun - ShortZeroRun;

    /// <param name="channelSizes">ushorts per sample of each channel in file order (HALF 1, FLOAT/UINT 2).</param>
    public static void Decode(ByteCursor cur, ReadOnlySpan<byte> data, Span<byte> output, int width, int lines, int[] channelSizes)
    {
        // The caller sizes the output from the block's lines and channels; the planes below are laid out from the
        // same numbers, so they must agree exactly (subsampled channels are refused before this).
        long samples = (long)width * lines * channelSizes.Sum(s => (long)s);
        if (width < 0 || lines < 0 || channelSizes.Any(s => s <= 0) || 2 * samples != output.Length)
            throw cur.Error("has a PIZ block whose size does not match its lines and channels");
        int p = 0;
        if (data.Length < 4) throw cur.Error("has a truncated PIZ block");
        int minNonZero = BinaryPrimitives.ReadUInt16LittleEndian(data), maxNonZero = BinaryPrimitives.ReadUInt16LittleEndian(data[2..]);
        p = 4;
        var bitmap = new byte[BitmapSize];
        if (maxNonZero >= BitmapSize) throw cur.Error("has a corrupt PIZ block (bitmap range)");
        if (minNonZero <= maxNonZero)
        {
            int n = maxNonZero - minNonZero + 1;
            if (p + n > data.Length) throw cur.Error("has a truncated PIZ block");
            data.Slice(p, n).CopyTo(bitmap.AsSpan(minNonZero));
            p += n;
        }
        var lut = new ushort[65536];
        int k = 0;
        for (int i = 0; i < 65536; i++)
            if (i == 0 || (bitmap[i >> 3] & (1 << (i & 7))) != 0) lut[k++] = (ushort)i;
        ushort maxValue = (ushort)(k - 1);
        if (p + 4 > data.Length) throw cur.Error("has a truncated PIZ block");
        int length = BinaryPrimitives.ReadInt32LittleEndian(data[p..]);
        p += 4;
        // Compared as length > remaining: p + length overflows int for lengths near int.MaxValue.
        if (length < 0 || length > data.Length - p) throw cur.Error($"has a PIZ block whose Huffman stream claims {length} bytes, {data.Length - p} are left");
        var buf = new ushort[samples];
        HuffmanDecode(cur, data.Slice(p, length), buf);

        int start = 0;
        foreach (int size in channelSizes)
        {
            for (int j = 0; j < size; j++) WaveletDecode(buf, start + j, width, size, lines, width * size, maxValue);
            start += width * lines * size;
        }
        for (int i = 0; i < buf.Length; i++) buf[i] = lut[buf[i]];

        // Planes (channel-major) back to the block layout: each line holds every channel's row in turn.
        int o = 0;
        var ends = new int[channelSizes.Length];
        for (int c = 1; c < channelSizes.Length; c++) ends[c] = ends[c - 1] + width * lines * channelSizes[c - 1];
        for (int y = 0; y < lines; y++)
            for (int c = 0; c < channelSizes.Length; c++)
            {
                int n = width * channelSizes[c];
                for (int i = 0; i < n; i++, o += 2) BinaryPrimitives.WriteUInt16LittleEndian(output[o..], buf[ends[c] + i]);
                ends[c] += n;
            }
    }

    private static void HuffmanDecode(ByteCursor cur, ReadOnlySpan<byte> src, ushort[] output)
    {
        if (src.Length == 0)
        {
            if (output.Length != 0) throw cur.Error("has an empty PIZ Huffman stream");
            return;
        }
        if (src.Length < 20) throw cur.Error("has a truncated PIZ Huffman header");
        int im = BinaryPrimitives.ReadInt32LittleEndian(src), iM = BinaryPrimitives.ReadInt32LittleEndian(src[4..]);
        long nBits = BinaryPrimitives.ReadInt32LittleEndian(src[12..]);
        if (im < 0 || im >= EncodingSize || iM < 0 || iM >= EncodingSize || im > iM) throw cur.Error("has a corrupt PIZ Huffman header");
        var bits = new BitReader(cur, src[20..].ToArray());

        // Code lengths (6 bits each, with two kinds of zero runs), then the canonical code assignment.
        var lengths = new int[EncodingSize];
        for (int i = im; i <= iM; i++)
        {
            int l = (int)bits.Read(6);
            int zeros = l == LongZeroRun ? (int)bits.Read(8) + ShortestLongRun : l >= ShortZeroRun ? l - ShortZeroRun + 2 : 0;
            if (zeros == 0) { lengths[i] = l; continue; }
            if (i + zeros > iM + 1) throw cur.Error("has a corrupt PIZ Huffman table");
            i += zeros - 1;
        }
        var count = new long[59];
        for (int i = 0; i < EncodingSize; i++) count[lengths[i]]++;
        var first = new long[59];
        long c = 0;
        for (int l = 58; l > 0; l--) { long next = (c + count[l]) >> 1; first[l] = c; c = next; }
        // Symbols of each length in increasing code order (codes of one length are consecutive, in symbol order).
        var symbols = new int[59][];
        var fill = new int[59];
        for (int l = 1; l < 59; l++) symbols[l] = new int[count[l]];
        for (int i = 0; i < EncodingSize; i++)
            if (lengths[i] > 0) symbols[lengths[i]][fill[lengths[i]]++] = i;

        // The table ends on a byte boundary; the code stream starts with the next byte.
        bits.AlignToByte();
        long tableBits = bits.Consumed;
        int o = 0;
        while (bits.Consumed - tableBits < nBits)
        {
            long code = 0;
            int len = 0, sym = -1;
            while (sym < 0)
            {
                if (++len > 58 || bits.Consumed - tableBits >= nBits) throw cur.Error("has a corrupt PIZ Huffman stream");
                code = code << 1 | bits.Read(1);
                long idx = code - first[len];
                if (idx >= 0 && idx < count[len]) sym = symbols[len][idx];
            }
            if (sym == iM)
            {
                // The largest symbol is the run-length code: repeat the previous value (8-bit count) times.
                int run = (int)bits.Read(8);
                if (o == 0 || o + run > output.Length) throw cur.Error("has a corrupt PIZ run");
                Array.Fill(output, output[o - 1], o, run);
                o += run;
            }
            else
            {
                if (o >= output.Length) throw cur.Error("has a PIZ stream longer than its block");
                output[o++] = (ushort)sym;
            }
        }
        if (o != output.Length) throw cur.Error("has a PIZ stream shorter than its block");
    }

    private sealed class BitReader(ByteCursor cur, byte[] data)
    {
        public long Consumed { get; private set; }

        public void AlignToByte() => Consumed = (Consumed + 7) & ~7L;

        public long Read(int n)
        {
            long v = 0;
            for (int i = 0; i < n; i++, Consumed++)
            {
                long byteIndex = Consumed >> 3;
                if (byteIndex >= data.Length) throw cur.Error("has a truncated PIZ Huffman stream");
                v = v << 1 | (uint)(data[byteIndex] >> (7 - (int)(Consumed & 7))) & 1;
            }
            return v;
        }
    }

    /// <summary>Inverse of the 2D wavelet, coarsest level first; 14-bit arithmetic when values fit, else modulo 2^16.</summary>
    private static void WaveletDecode(ushort[] a, int start, int nx, int ox, int ny, int oy, ushort mx)
    {
        bool w14 = mx < (1 << 14);
        int n = Math.Min(nx, ny);
        int p = 1;
        while (p <= n) p <<= 1;
        p >>= 1;
        int p2 = p;
        p >>= 1;
        while (p >= 1)
        {
            int py = start, ey = start + oy * (ny - p2);
            int oy1 = oy * p, oy2 = oy * p2, ox1 = ox * p, ox2 = ox * p2;
            for (; py <= ey; py += oy2)
            {
                int px = py, ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2)
                {
                    int p01 = px + ox1, p10 = px + oy1, p11 = p10 + ox1;
                    var (i00, i10) = Dec(a[px], a[p10], w14);
                    var (i01, i11) = Dec(a[p01], a[p11], w14);
                    (a[px], a[p01]) = Dec(i00, i01, w14);
                    (a[p10], a[p11]) = Dec(i10, i11, w14);
                }
                if ((nx & p) != 0)
                {
                    int p10 = px + oy1;
                    (a[px], a[p10]) = Dec(a[px], a[p10], w14);
                }
            }
            if ((ny & p) != 0)
            {
                int px = py, ex = py + ox * (nx - p2);
                for (; px <= ex; px += ox2)
                {
                    int p01 = px + ox1;
                    (a[px], a[p01]) = Dec(a[px], a[p01], w14);
                }
            }
            p2 = p;
            p >>= 1;
        }
    }

    private static (ushort a, ushort b) Dec(ushort l, ushort h, bool w14)
    {
        if (w14)
        {
            int hi = (short)h;
            int ai = (short)l + (hi & 1) + (hi >> 1);
            return ((ushort)(short)ai, (ushort)(short)(ai - hi));
        }
        int m = l, d = h;
        int bb = (m - (d >> 1)) & 0xffff;
        int aa = (d + bb - 32768) & 0xffff;
        return ((ushort)aa, (ushort)bb);
    }
}
