using System.Text;

namespace HdrKit.Util;

/// <summary>Text files (UTF-8 without BOM, like File.WriteAllText) written through <see cref="AtomicFile"/>.</summary>
public static class AtomicText
{
    public static void Write(string path, string text) => AtomicFile.Write(path, s =>
    {
        using var w = new StreamWriter(s, new UTF8Encoding(false), leaveOpen: true);
        w.Write(text);
    });
}
