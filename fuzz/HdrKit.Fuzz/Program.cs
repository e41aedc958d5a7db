using SharpFuzz;

namespace HdrKit.Fuzz;

/// <summary>
/// hdrkit-fuzz libfuzzer TARGET   – in-process, under libFuzzer (libfuzzer-dotnet driver), see fuzz/README.md
/// hdrkit-fuzz afl TARGET         – out of process under afl-fuzz (input on stdin)
/// hdrkit-fuzz replay TARGET DIR… – runs every file of the folders once and reports unexpected exceptions
/// hdrkit-fuzz seed-tflite FILE   – writes the tiny TFLite model of the tflite seed corpus
/// Unexpected exceptions are rethrown under the fuzzers so they record the input as a crash.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args is ["seed-tflite", var output])
        {
            // The tflite seed is built rather than cut from a real model, which is megabytes.
            File.WriteAllBytes(output, TinyTflite.Build());
            return 0;
        }
        if (args.Length < 2)
        {
            Console.Error.WriteLine("usage: hdrkit-fuzz (libfuzzer|afl|replay) TARGET [DIR...]");
            Console.Error.WriteLine($"targets: {string.Join(", ", FuzzTargets.All.Select(t => t.Name))}");
            return 2;
        }
        var target = FuzzTargets.Get(args[1]);
        var scratch = Directory.CreateTempSubdirectory("hdrkit-fuzz-").FullName;
        try
        {
            switch (args[0])
            {
                case "libfuzzer":
                    Fuzzer.LibFuzzer.Run(span => Fail(FuzzTargets.Check(target, span.ToArray(), scratch)));
                    return 0;
                case "afl":
                    Fuzzer.OutOfProcess.Run(stream =>
                    {
                        using var ms = new MemoryStream();
                        stream.CopyTo(ms);
                        Fail(FuzzTargets.Check(target, ms.ToArray(), scratch));
                    });
                    return 0;
                case "replay":
                    return Replay(target, args.Skip(2), scratch);
                default:
                    Console.Error.WriteLine($"unknown mode '{args[0]}'");
                    return 2;
            }
        }
        finally
        {
            try { Directory.Delete(scratch, true); } catch (IOException) { }
        }
    }

    private static void Fail(Exception? e)
    {
        if (e != null) throw new InvalidOperationException($"reader threw {e.GetType().Name}: {e.Message}", e);
    }

    private static int Replay(FuzzTargets.Target target, IEnumerable<string> folders, string scratch)
    {
        int files = 0, failures = 0;
        foreach (var file in folders.SelectMany(d => Directory.Exists(d) ? Directory.EnumerateFiles(d, "*", SearchOption.AllDirectories) : [d]).Order(StringComparer.Ordinal))
        {
            files++;
            var e = FuzzTargets.Check(target, File.ReadAllBytes(file), scratch);
            if (e == null) continue;
            failures++;
            Console.WriteLine($"{file}: {e.GetType().Name}: {e.Message.Split('\n')[0]}");
            // Where it escaped from: enough to find the reader line without a debugger.
            foreach (var frame in (e.StackTrace ?? "").Split('\n').Take(4)) Console.WriteLine("    " + frame.Trim());
        }
        Console.WriteLine($"{target.Name}: {files - failures} passed, {failures} failed");
        return failures == 0 ? 0 : 1;
    }
}
