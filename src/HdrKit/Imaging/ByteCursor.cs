using System.Buffers.Binary;
using System.Text;
using HdrKit.Util;

namespace HdrKit.Imaging;

/// <summary>
/// A bounds-checked read position in a file held in memory. Every overrun becomes an
/// <see cref="InvalidDataException"/> naming the file, so truncated inputs fail with one clear sentence.
/// </summary>
internal sealed class ByteCursor
{
    private readonly byte[] _data;
    public string Source { get; }
    public int Position { get; set; }

    public ByteCursor(byte[] data, string source) { _data = data; Source = source; }

    /// <summary>Loads a whole file; a missing file is a <see cref="FileNotFoundException"/> naming it.</summary>
    public static ByteCursor FromFile(string path) => new(ReadAllBytes(path), path);

    /// <summary>File.ReadAllBytes with a one-sentence error naming a missing file or a folder given as a file.</summary>
    public static byte[] ReadAllBytes(string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        if (!File.Exists(path))
            throw new FileNotFoundException(Directory.Exists(path) ? $"{path} is a folder, not an image file" : $"{path} does not exist", path);
        return File.ReadAllBytes(path);
    }

    public int Length => _data.Length;
    public int Remaining => _data.Length - Position;
    public bool AtEnd => Position >= _data.Length;

    public InvalidDataException Error(string message) => new(MessageText.OneLine($"{Source}: {message}"));

    public void Need(int count, string what)
    {
        if (count < 0 || Remaining < count)
            throw Error($"file is truncated while reading {what}");
    }

    public byte ReadByte(string what = "data")
    {
        Need(1, what);
        return _data[Position++];
    }

    public ReadOnlySpan<byte> ReadBytes(int count, string what = "data")
    {
        Need(count, what);
        var span = new ReadOnlySpan<byte>(_data, Position, count);
        Position += count;
        return span;
    }

    public int ReadInt32LE(string what) => BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4, what));
    public uint ReadUInt32LE(string what) => BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4, what));
    public long ReadInt64LE(string what) => BinaryPrimitives.ReadInt64LittleEndian(ReadBytes(8, what));
    public ulong ReadUInt64LE(string what) => BinaryPrimitives.ReadUInt64LittleEndian(ReadBytes(8, what));
    public float ReadSingleLE(string what) => BinaryPrimitives.ReadSingleLittleEndian(ReadBytes(4, what));

    /// <summary>Reads a '\n'-terminated line as Latin-1 (header text), without the terminator.</summary>
    public string ReadLine(string what, int maxLength = 1 << 16)
    {
        int start = Position;
        int end = Array.IndexOf(_data, (byte)'\n', start, Math.Min(Remaining, maxLength + 1));
        if (end < 0)
            throw Error(Remaining > maxLength ? $"{what} is longer than {maxLength} bytes" : $"file is truncated while reading {what}");
        Position = end + 1;
        return Encoding.Latin1.GetString(_data, start, end - start);
    }

    /// <summary>Reads a NUL-terminated string (OpenEXR attribute names and types).</summary>
    public string ReadCString(string what, int maxLength = 255)
    {
        int start = Position;
        int end = Array.IndexOf(_data, (byte)0, start, Math.Min(Remaining, maxLength + 1));
        if (end < 0) throw Error($"file is truncated or malformed while reading {what}");
        Position = end + 1;
        return Encoding.Latin1.GetString(_data, start, end - start);
    }
}
