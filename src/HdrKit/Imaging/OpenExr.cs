using System.Buffers.Binary;
using System.Numerics.Tensors;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using System.IO.Compression;
using System.Text;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// Single-part scanline OpenEXR files, after the OpenEXR file layout document.
/// <para>
/// Reading: NONE, RLE, ZIPS, ZIP and PIZ compression; HALF, FLOAT and UINT channels; R,G,B (plus A, dropped) or Y
/// (returned as one grey channel); the data window gives the image size. PXR24, B44 and DWA files, tiled,
/// multi-part and deep files are refused with a message naming the file.
/// </para>
/// <para>
/// Writing: channels B,G,R (or Y for a grey image), HALF or FLOAT, NONE / ZIPS / ZIP, increasing line order,
/// the required header attributes and the offset table. A block whose compressed form is not smaller is stored raw,
/// as the format prescribes.
/// </para>
/// </summary>
public static class OpenExr
{
    private const int Magic = 20000630;
    private const int TiledFlag = 0x200, LongNamesFlag = 0x400, DeepFlag = 0x800, MultipartFlag = 0x1000;

    public static FloatImage Read(string path) => Decode(ByteCursor.FromFile(path));

    public static FloatImage Read(byte[] file, string sourceName) => Decode(new ByteCursor(file, sourceName));

    /// <summary>Writes atomically; NaN, infinite and negative values are refused; values above 65504 are refused for HALF.</summary>
    public static void Write(string path, FloatImage image, ExrPixelType pixelType = ExrPixelType.Half,
        ExrCompression compression = ExrCompression.Zip)
    {
        Validate(image, path, pixelType, compression);
        AtomicFile.Write(path, s => WriteUnchecked(s, image, pixelType, compression));
    }

    public static int LinesPerBlock(ExrCompression c) => c switch
    {
        ExrCompression.None or ExrCompression.Rle or ExrCompression.Zips => 1,
        ExrCompression.Zip or ExrCompression.Pxr24 => 16,
        _ => 32,
    };

    private static void Validate(FloatImage image, string target, ExrPixelType type, ExrCompression compression)
    {
        if (compression is not (ExrCompression.None or ExrCompression.Zips or ExrCompression.Zip))
            throw new ArgumentException($"cannot write {target}: EXR compression {compression} is not supported for writing, use None, Zips or Zip");
        if (type is not (ExrPixelType.Half or ExrPixelType.Float))
            throw new ArgumentException($"cannot write {target}: EXR pixel type must be Half or Float, got {type}");
        RadianceValidation.ThrowIfNotGreyOrRgb(image, target);
        RadianceValidation.ThrowIfInvalid(image, target);
        if (type == ExrPixelType.Half && image.Data.Length > 0 && TensorPrimitives.Max(image.Data) > (float)Half.MaxValue)
        {
            int i = Array.FindIndex(image.Data, v => v > (float)Half.MaxValue);
            if (i >= 0)
            {
                var (c, y, x) = image.Unravel(i);
                throw new ArgumentException($"cannot write {target}: pixel (x={x}, y={y}) channel {c} is {image.Data[i]}, above the largest half value 65504; write Float instead");
            }
        }
    }

    // ---------------------------------------------------------------- reading

    private sealed record Channel(string Name, ExrPixelType Type)
    {
        public int Size => Type == ExrPixelType.Half ? 2 : 4;
    }

    private static FloatImage Decode(ByteCursor cur)
    {
        if (cur.Length < 8 || cur.ReadInt32LE("the magic number") != Magic)
            throw cur.Error("not an OpenEXR file (wrong magic number)");
        int version = cur.ReadInt32LE("the version");
        if ((version & 0xff) != 2) throw cur.Error($"has unsupported OpenEXR version {version & 0xff}");
        if ((version & TiledFlag) != 0) throw cur.Error("is a tiled OpenEXR file, which is not supported (only scanline files are)");
        if ((version & (DeepFlag | MultipartFlag)) != 0) throw cur.Error("is a multi-part or deep OpenEXR file, which is not supported");
        int maxName = (version & LongNamesFlag) != 0 ? 255 : 31;

        List<Channel>? channels = null;
        ExrCompression? compression = null;
        (int x0, int y0, int x1, int y1)? window = null;
        while (true)
        {
            string name = cur.ReadCString("an attribute name", maxName);
            if (name.Length == 0) break;
            string type = cur.ReadCString("an attribute type", maxName);
            int size = cur.ReadInt32LE("an attribute size");
            cur.Need(size, $"attribute {name}");
            int end = cur.Position + size;
            switch (name)
            {
                case "channels" when type == "chlist": channels = ReadChannels(cur, end); break;
                case "compression" when type == "compression": compression = (ExrCompression)cur.ReadByte(); break;
                case "dataWindow" when type == "box2i":
                    window = (cur.ReadInt32LE("dataWindow"), cur.ReadInt32LE("dataWindow"), cur.ReadInt32LE("dataWindow"), cur.ReadInt32LE("dataWindow"));
                    break;
                case "tiles": throw cur.Error("is a tiled OpenEXR file, which is not supported (only scanline files are)");
            }
            cur.Position = end;
        }
        if (channels == null || compression == null || window == null)
            throw cur.Error("is missing a required header attribute (channels, compression or dataWindow)");
        var (wx0, wy0, wx1, wy1) = window.Value;
        long lw = (long)wx1 - wx0 + 1, lh = (long)wy1 - wy0 + 1;
        if (lw <= 0 || lh <= 0) throw cur.Error($"has an invalid data window ({wx0} {wy0}) - ({wx1} {wy1})");
        var comp = compression.Value;
        if (comp is not (ExrCompression.None or ExrCompression.Rle or ExrCompression.Zips or ExrCompression.Zip or ExrCompression.Piz))
            throw cur.Error($"uses {comp.ToString().ToUpperInvariant()} compression, which is not supported (NONE, RLE, ZIPS, ZIP and PIZ are)");

        // Channels are stored sorted by name; pick the colour ones by name.
        int Find(string n) => channels.FindIndex(c => c.Name == n);
        int[] wanted = Find("R") >= 0 && Find("G") >= 0 && Find("B") >= 0 ? new[] { Find("R"), Find("G"), Find("B") }
            : Find("Y") >= 0 ? new[] { Find("Y") }
            : throw cur.Error($"has channels [{string.Join(",", channels.Select(c => c.Name))}], expected R,G,B or Y");

        int lines = LinesPerBlock(comp);
        long blocks = (lh + lines - 1) / lines;
        // Every block costs at least its 8-byte offset and 8-byte header, so the file length bounds the height
        // before anything is allocated; the budget bounds the rest.
        if (blocks > cur.Remaining / 16) throw cur.Error($"is truncated: a data window of {lh} lines needs {blocks} blocks, the file is too short for them");
        InputBudget.CheckImage(cur.Source, lw, lh, wanted.Length);
        int w = (int)lw, h = (int)lh;
        long pixelBytes = channels.Sum(c => (long)c.Size);
        long blockBytes = lines * lw * pixelBytes;
        InputBudget.CheckBytes(cur.Source, blockBytes, "one EXR block");
        var offsets = new ulong[blocks];
        for (int i = 0; i < blocks; i++) offsets[i] = cur.ReadUInt64LE("the offset table");
        var image = new FloatImage(w, h, wanted.Length);
        var raw = new byte[blockBytes];
        var seen = new bool[blocks];
        foreach (var offset in offsets)
        {
            if (offset > (ulong)cur.Length) throw cur.Error("has an offset table entry beyond the end of the file (truncated?)");
            cur.Position = (int)offset;
            long y = (long)cur.ReadInt32LE("a block header") - wy0;
            int dataSize = cur.ReadInt32LE("a block header");
            if (y < 0 || y >= h || y % lines != 0) throw cur.Error($"has a block for line {y + wy0} outside the data window");
            if (seen[y / lines]) throw cur.Error($"has two blocks for line {y + wy0}");
            seen[y / lines] = true;
            int n = (int)Math.Min(lines, h - y);
            int rawSize = (int)(n * lw * pixelBytes);
            // A block is stored raw exactly when compressing did not make it smaller, so any other size is corrupt.
            if (dataSize <= 0 || dataSize > rawSize || (comp == ExrCompression.None && dataSize != rawSize))
                throw cur.Error($"has a block at line {y + wy0} of {dataSize} bytes, expected {(comp == ExrCompression.None ? "" : "at most ")}{rawSize}");
            var data = cur.ReadBytes(dataSize, $"the block at line {y + wy0}");
            var block = raw.AsSpan(0, rawSize);
            if (dataSize == rawSize) data.CopyTo(block);
            else if (comp == ExrCompression.Rle) Unpredict(RleDecode(cur, data, block), block);
            else if (comp == ExrCompression.Piz) ExrPiz.Decode(cur, data, block, w, n, channels.Select(c => c.Size / 2).ToArray());
            else Unpredict(Inflate(cur, data, block), block);
            ScatterBlock(block, image, channels, wanted, (int)y, n);
        }
        return image;
    }

    private static List<Channel> ReadChannels(ByteCursor cur, int end)
    {
        var list = new List<Channel>();
        while (cur.Position < end)
        {
            string name = cur.ReadCString("a channel name");
            if (name.Length == 0) break;
            int type = cur.ReadInt32LE("a channel");
            cur.ReadBytes(4, "a channel"); // pLinear + reserved
            int xs = cur.ReadInt32LE("a channel"), ys = cur.ReadInt32LE("a channel");
            if (type is < 0 or > 2) throw cur.Error($"channel {name} has unknown pixel type {type}");
            if (xs != 1 || ys != 1) throw cur.Error($"channel {name} is subsampled ({xs}x{ys}), which is not supported");
            list.Add(new Channel(name, (ExrPixelType)type));
        }
        return list;
    }

    /// <summary>A block holds, line by line, each channel's whole row in channel-list order.</summary>
    private static void ScatterBlock(ReadOnlySpan<byte> block, FloatImage image, List<Channel> channels, int[] wanted, int y0, int n)
    {
        int w = image.Width, p = 0;
        for (int line = 0; line < n; line++)
            for (int ci = 0; ci < channels.Count; ci++)
            {
                var ch = channels[ci];
                int dst = Array.IndexOf(wanted, ci);
                if (dst >= 0)
                {
                    var row = image.Row(dst, y0 + line);
                    var src = block.Slice(p, w * ch.Size);
                    for (int x = 0; x < w; x++)
                        row[x] = ch.Type switch
                        {
                            ExrPixelType.Half => (float)BinaryPrimitives.ReadHalfLittleEndian(src.Slice(x * 2, 2)),
                            ExrPixelType.Float => BinaryPrimitives.ReadSingleLittleEndian(src.Slice(x * 4, 4)),
                            _ => BinaryPrimitives.ReadUInt32LittleEndian(src.Slice(x * 4, 4)),
                        };
                }
                p += w * ch.Size;
            }
    }

    private static Span<byte> Inflate(ByteCursor cur, ReadOnlySpan<byte> data, Span<byte> into)
    {
        var tmp = new byte[into.Length];
        try
        {
            using var z = new ZLibStream(new MemoryStream(data.ToArray()), CompressionMode.Decompress);
            int got = 0, r;
            while (got < tmp.Length && (r = z.Read(tmp, got, tmp.Length - got)) > 0) got += r;
            if (got != tmp.Length || z.ReadByte() >= 0) throw cur.Error("has a ZIP block that decompresses to the wrong size");
        }
        catch (InvalidDataException e) when (!e.Message.StartsWith(cur.Source, StringComparison.Ordinal))
        {
            throw cur.Error($"has a corrupt ZIP block ({e.Message})");
        }
        catch (IOException e) // zlib's own errors (ZLibException) on a damaged stream
        {
            throw cur.Error($"has a corrupt ZIP block ({e.Message})");
        }
        return tmp;
    }

    /// <summary>EXR's byte RLE: a signed count byte; negative = that many literal bytes, else count+1 copies of the next.</summary>
    private static Span<byte> RleDecode(ByteCursor cur, ReadOnlySpan<byte> data, Span<byte> into)
    {
        var tmp = new byte[into.Length];
        int i = 0, o = 0;
        while (i < data.Length)
        {
            int count = (sbyte)data[i++];
            if (count < 0)
            {
                count = -count;
                if (i + count > data.Length || o + count > tmp.Length) throw cur.Error("has a corrupt RLE block");
                data.Slice(i, count).CopyTo(tmp.AsSpan(o));
                i += count; o += count;
            }
            else
            {
                if (i >= data.Length || o + count + 1 > tmp.Length) throw cur.Error("has a corrupt RLE block");
                tmp.AsSpan(o, count + 1).Fill(data[i++]);
                o += count + 1;
            }
        }
        if (o != tmp.Length) throw cur.Error("has an RLE block that decodes to the wrong size");
        return tmp;
    }

    /// <summary>
    /// Undoes the ZIP/RLE preprocessing: byte deltas (biased by 128), then the split into even and odd bytes, which
    /// puts the low and high bytes of each sample next to their neighbours' for better compression.
    /// </summary>
    private static void Unpredict(Span<byte> t, Span<byte> output)
    {
        for (int i = 1; i < t.Length; i++) t[i] = (byte)(t[i - 1] + t[i] - 128);
        int half = (t.Length + 1) / 2;
        for (int i = 0; i < t.Length; i++) output[i] = (i & 1) == 0 ? t[i / 2] : t[half + i / 2];
    }

    /// <summary>
    /// The inverse of <see cref="Unpredict"/>, vectorised because it runs over every byte a merge writes
    /// (bench/results/merge.md has what the scalar loops cost).
    /// </summary>
    internal static void Predict(ReadOnlySpan<byte> raw, Span<byte> t)
    {
        int half = (raw.Length + 1) / 2, pairs = raw.Length / 2;
        // Even bytes to the first half, odd bytes to the second: on a little-endian machine, the low and high bytes of
        // 16-bit words.
        var words = MemoryMarshal.Cast<byte, ushort>(raw[..(2 * pairs)]);
        int i = 0;
        if (Vector256.IsHardwareAccelerated && BitConverter.IsLittleEndian)
            for (; i + 2 * Vector256<ushort>.Count <= pairs; i += 2 * Vector256<ushort>.Count)
            {
                var a = Vector256.Create(words.Slice(i, Vector256<ushort>.Count));
                var b = Vector256.Create(words.Slice(i + Vector256<ushort>.Count, Vector256<ushort>.Count));
                Vector256.Narrow(a, b).CopyTo(t[i..]);
                Vector256.Narrow(a >>> 8, b >>> 8).CopyTo(t[(half + i)..]);
            }
        for (; i < pairs; i++) { t[i] = raw[2 * i]; t[half + i] = raw[2 * i + 1]; }
        if ((raw.Length & 1) == 1) t[pairs] = raw[^1];

        // t[i] -= t[i - 1] - 128, from the end so each step reads its left neighbour before that is rewritten.
        int n = t.Length, j = n - Vector256<byte>.Count;
        var bias = Vector256.Create((byte)128);
        if (Vector256.IsHardwareAccelerated)
            for (; j >= 1; j -= Vector256<byte>.Count)
                (Vector256.Create(t.Slice(j, Vector256<byte>.Count)) - Vector256.Create(t.Slice(j - 1, Vector256<byte>.Count)) + bias)
                    .CopyTo(t[j..]);
        for (int k = Math.Min(n, j + Vector256<byte>.Count) - 1; k > 0; k--) t[k] = (byte)(t[k] - t[k - 1] + 128);
    }

    // ---------------------------------------------------------------- writing

    /// <summary>
    /// Writes the file into a seekable stream, <paramref name="batchBytes"/> of raw samples at a time; returns how
    /// many blocks were held at once (the encoder's buffers: that many blocks' raw, predicted and compressed bytes).
    /// <paramref name="parallelism"/> caps the encoding threads (-1: no cap); 1 keeps every allocation on the
    /// calling thread, where a test can count it.
    /// </summary>
    internal static int WriteUnchecked(Stream stream, FloatImage image, ExrPixelType type, ExrCompression compression,
        int batchBytes = BatchBytes, int parallelism = -1)
    {
        int w = image.Width, h = image.Height;
        // Channel list sorted by name; each maps to an image plane.
        var names = image.Channels == 3 ? new[] { ("B", 2), ("G", 1), ("R", 0) } : new[] { ("Y", 0) };
        int size = type == ExrPixelType.Half ? 2 : 4;

        var header = new MemoryStream();
        var chlist = new MemoryStream();
        foreach (var (name, _) in names)
        {
            chlist.Write(Encoding.ASCII.GetBytes(name)); chlist.WriteByte(0);
            chlist.Write(Int((int)type)); chlist.Write(new byte[4]); chlist.Write(Int(1)); chlist.Write(Int(1));
        }
        chlist.WriteByte(0);
        var box = Concat(Int(0), Int(0), Int(w - 1), Int(h - 1));
        header.Write(Int(Magic));
        header.Write(Int(2));
        Attribute(header, "channels", "chlist", chlist.ToArray());
        Attribute(header, "compression", "compression", new[] { (byte)compression });
        Attribute(header, "dataWindow", "box2i", box);
        Attribute(header, "displayWindow", "box2i", box);
        Attribute(header, "lineOrder", "lineOrder", new byte[] { 0 });
        Attribute(header, "pixelAspectRatio", "float", Float(1f));
        Attribute(header, "screenWindowCenter", "v2f", Concat(Float(0f), Float(0f)));
        Attribute(header, "screenWindowWidth", "float", Float(1f));
        header.WriteByte(0);

        int lines = LinesPerBlock(compression);
        int blocks = (h + lines - 1) / lines;
        // Streamed: the offset table is written as a placeholder and filled in at the end; the blocks go through a
        // fixed set of reusable buffers (ExrBlockBuffers), one batch at a time, converted and compressed in parallel.
        var output = stream; // AtomicFile's FileStream, which can seek back to the table
        long start = output.Position;
        output.Write(header.ToArray());
        long tableAt = output.Position;
        output.Write(new byte[8L * blocks]);
        var offsets = new ulong[blocks];
        int rawBytes = lines * w * names.Length * size;
        int perBatch = Math.Max(1, Math.Min(blocks, batchBytes / Math.Max(1, rawBytes)));
        var slots = Enumerable.Range(0, perBatch).Select(_ => new ExrBlockBuffers(rawBytes)).ToArray();
        var parallel = new ParallelOptions { MaxDegreeOfParallelism = parallelism };
        for (int first = 0; first < blocks; first += perBatch)
        {
            int count = Math.Min(perBatch, blocks - first);
            Parallel.For(0, count, parallel, k =>
            {
                int y0 = (first + k) * lines;
                slots[k].Encode(image, names, size, compression, y0, Math.Min(lines, h - y0));
            });
            for (int k = 0; k < count; k++)
            {
                offsets[first + k] = (ulong)(output.Position - start);
                slots[k].WriteTo(output);
            }
        }
        long end = output.Position;
        output.Position = tableAt;
        var table = new byte[8L * blocks];
        for (int b = 0; b < blocks; b++) BinaryPrimitives.WriteUInt64LittleEndian(table.AsSpan(8 * b), offsets[b]);
        output.Write(table);
        output.Position = end;
        return perBatch;
    }

    /// <summary>Raw samples of one batch of blocks encoded together (16 MB: a few hundred lines at 24 MP).</summary>
    internal const int BatchBytes = 16 << 20;

    /// <summary>
    /// One block's buffers, reused for every block a batch slot encodes: fresh arrays per block were large-object
    /// garbage that the collector reclaimed late (6000×4000: +0.45 GiB while writing, bench/results/merge.md).
    /// </summary>
    private sealed class ExrBlockBuffers(int rawBytes)
    {
        /// <summary>zlib level of ZIP blocks: cheaper than zlib's default 6 for nearly the same size (bench/results/merge.md).</summary>
        private const int ZipLevel = 4;

        private readonly byte[] raw = new byte[rawBytes], predicted = new byte[rawBytes];
        private readonly MemoryStream compressed = new(rawBytes);
        private readonly byte[] blockHeader = new byte[8];
        private int rawLength;
        private bool stored;

        /// <summary>Converts lines y0 .. y0 + n, compressed unless that does not make them smaller.</summary>
        public void Encode(FloatImage image, (string Name, int Plane)[] names, int size, ExrCompression compression, int y0, int n)
        {
            int w = image.Width;
            rawLength = n * w * names.Length * size;
            var block = raw.AsSpan(0, rawLength);
            int p = 0;
            for (int y = y0; y < y0 + n; y++)
                foreach (var (_, plane) in names)
                {
                    var row = image.Row(plane, y);
                    var samples = block.Slice(p, w * size);
                    if (!BitConverter.IsLittleEndian)
                        for (int x = 0; x < w; x++)
                            if (size == 2) BinaryPrimitives.WriteHalfLittleEndian(samples[(2 * x)..], (Half)row[x]);
                            else BinaryPrimitives.WriteSingleLittleEndian(samples[(4 * x)..], row[x]);
                    else if (size == 2) TensorPrimitives.ConvertToHalf(row, MemoryMarshal.Cast<byte, Half>(samples));
                    else MemoryMarshal.AsBytes(row).CopyTo(samples);
                    p += w * size;
                }
            stored = true;
            if (compression != ExrCompression.None)
            {
                Predict(block, predicted.AsSpan(0, rawLength));
                compressed.SetLength(0);
                using (var zs = new ZLibStream(compressed, new ZLibCompressionOptions { CompressionLevel = ZipLevel }, leaveOpen: true))
                    zs.Write(predicted, 0, rawLength);
                stored = compressed.Length >= rawLength;
            }
            BinaryPrimitives.WriteInt32LittleEndian(blockHeader, y0);
            BinaryPrimitives.WriteInt32LittleEndian(blockHeader.AsSpan(4), stored ? rawLength : (int)compressed.Length);
        }

        /// <summary>The block as the file stores it: first line, size, data.</summary>
        public void WriteTo(Stream output)
        {
            output.Write(blockHeader);
            if (stored) output.Write(raw, 0, rawLength);
            else output.Write(compressed.GetBuffer(), 0, (int)compressed.Length);
        }
    }

    private static void Attribute(Stream s, string name, string type, byte[] value)
    {
        s.Write(Encoding.ASCII.GetBytes(name)); s.WriteByte(0);
        s.Write(Encoding.ASCII.GetBytes(type)); s.WriteByte(0);
        s.Write(Int(value.Length));
        s.Write(value);
    }

    private static byte[] Int(int v) { var b = new byte[4]; BinaryPrimitives.WriteInt32LittleEndian(b, v); return b; }
    private static byte[] Float(float v) { var b = new byte[4]; BinaryPrimitives.WriteSingleLittleEndian(b, v); return b; }
    private static byte[] Concat(params byte[][] parts) => parts.SelectMany(p => p).ToArray();
}
