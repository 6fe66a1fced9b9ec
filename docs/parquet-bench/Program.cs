// Throwaway measurement (issue 10 item 7): DuckDB COPY vs Parquet.Net on a generated 2.4 M-trade raw day.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using DuckDB.NET.Data;
using Parquet;
using Parquet.Data;
using Parquet.Schema;

var dir = args.Length > 0 ? args[0] : Path.Combine(Path.GetTempPath(), "pipeline-parquet-bench");
var count = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 2_400_000;
var rowGroup = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 1_048_576;
Directory.CreateDirectory(dir);
var jsonl = Path.Combine(dir, "2025-12-14.jsonl");
if (!File.Exists(jsonl) || File.ReadLines(jsonl).Count() != count) Generate(jsonl, count);
Console.WriteLine($"raw day {jsonl}: {count:N0} trades, {new FileInfo(jsonl).Length / 1048576.0:N1} MiB; Parquet.Net row group {rowGroup:N0}");

const string Cols = "{exchange:'VARCHAR', instId:'VARCHAR', tradeId:'VARCHAR', ts:'BIGINT', px:'VARCHAR', sz:'VARCHAR', " +
    "side:'VARCHAR', ctVal:'VARCHAR', ctMult:'VARCHAR', ctType:'VARCHAR', ctValCcy:'VARCHAR', qtyBase:'VARCHAR', " +
    "recvTs:'BIGINT', src:'VARCHAR', count:'BIGINT', firstId:'BIGINT', lastId:'BIGINT'}";
string Exact(string x) => $"CASE WHEN strpos({x}, 'e') = 0 AND strpos({x}, 'E') = 0 AND " +
    $"((strpos({x}, '.') BETWEEN 1 AND 11 AND length({x}) - strpos({x}, '.') <= 8) OR (strpos({x}, '.') = 0 AND length({x}) <= 10)) " +
    $"THEN TRY_CAST({x} AS DECIMAL(18,8))::DECIMAL(38,18) ELSE TRY_CAST({x} AS DECIMAL(38,18)) END";
string[] decimals = ["ctMult", "ctVal", "px", "qtyBase", "sz"];
var companions = string.Join(", ", decimals.Select(f => $"{Exact($"\"{f}\"")} AS \"{f}Decimal\""));
var duckFile = Path.Combine(dir, "duckdb.parquet");
var netFile = Path.Combine(dir, "parquetnet.parquet");

var runs = int.Parse(Environment.GetEnvironmentVariable("PQ_RUNS") ?? "1", CultureInfo.InvariantCulture);
for (var run = 1; run <= runs; run++)
{
    Console.WriteLine($"--- run {run}");
    // 1. DuckDB COPY, as compaction does it (JSON parse + decimal companions + zstd Parquet, one statement).
    File.Delete(duckFile);
    Measure("duckdb COPY (parse+write)", () =>
    {
        using var c = Open();
        Exec(c, $"COPY (SELECT *, {companions} FROM (SELECT * FROM read_json('{jsonl}', format='newline_delimited', ignore_errors=true, columns={Cols}) WHERE tradeId IS NOT NULL)) TO '{duckFile}' (FORMAT parquet, COMPRESSION zstd)");
    });
    Console.WriteLine($"  duckdb file: {new FileInfo(duckFile).Length / 1048576.0:N1} MiB");

    // 2. Parquet.Net: parse the JSONL in .NET (Utf8JsonReader), then write the same columns (zstd).
    Columns? cols = null;
    Measure("parquet.net parse JSONL (naive, not the product's parser)", () => cols = Parse(jsonl, count));
    var groups = new List<Array[]>();
    for (var start = 0; start < cols!.Count; start += rowGroup) groups.Add(cols.Slice(start, Math.Min(rowGroup, cols.Count - start)));
    File.Delete(netFile);
    await MeasureAsync("parquet.net write (columns in memory -> zstd file)", () => WriteNet(groups, netFile));
    groups.Clear();
    Console.WriteLine($"  parquet.net file: {new FileInfo(netFile).Length / 1048576.0:N1} MiB");
    cols = null;
    GC.Collect();

    // 3. Read-back: every column of every row into .NET.
    await MeasureAsync("parquet.net read own file (all columns)", () => ReadNet(netFile));
    await MeasureAsync("parquet.net read duckdb file (all columns)", () => ReadNet(duckFile));
    Measure("duckdb.net streaming read duckdb file (all columns)", () => ReadDuck(duckFile));
    Measure("duckdb.net streaming read parquet.net file (all columns)", () => ReadDuck(netFile));
    // 4. What a query does: DuckDB aggregates over either file.
    Measure("duckdb query on duckdb file", () => QueryDuck(duckFile));
    Measure("duckdb query on parquet.net file", () => QueryDuck(netFile));
}

static DuckDBConnection Open()
{
    var c = new DuckDBConnection("DataSource=:memory:");
    c.Open();
    return c;
}

static void Exec(DuckDBConnection c, string sql)
{
    using var cmd = c.CreateCommand();
    cmd.CommandText = sql;
    cmd.ExecuteNonQuery();
}

static void Measure(string what, Action action)
{
    GC.Collect();
    var alloc = GC.GetTotalAllocatedBytes(true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    action();
    sw.Stop();
    var cpu2 = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    var a = GC.GetTotalAllocatedBytes(true) - alloc;
    Console.WriteLine($"  {what,-58} {sw.Elapsed.TotalSeconds,6:N2} s wall {cpu2.TotalSeconds,6:N2} s CPU {a / 1048576.0,8:N1} MiB managed alloc; peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MiB");
}

static async Task MeasureAsync(string what, Func<Task> action)
{
    GC.Collect();
    var alloc = GC.GetTotalAllocatedBytes(true);
    var cpu = Process.GetCurrentProcess().TotalProcessorTime;
    var sw = Stopwatch.StartNew();
    await action();
    sw.Stop();
    var cpu2 = Process.GetCurrentProcess().TotalProcessorTime - cpu;
    var a = GC.GetTotalAllocatedBytes(true) - alloc;
    Console.WriteLine($"  {what,-58} {sw.Elapsed.TotalSeconds,6:N2} s wall {cpu2.TotalSeconds,6:N2} s CPU {a / 1048576.0,8:N1} MiB managed alloc; peak WS {Process.GetCurrentProcess().PeakWorkingSet64 / 1048576:N0} MiB");
}

static void Generate(string path, int count)
{
    var random = new Random(2025);
    var start = new DateTimeOffset(2025, 12, 14, 0, 0, 0, TimeSpan.Zero).ToUnixTimeMilliseconds();
    var price = 1_000_000L;
    using var w = new StreamWriter(path, false, new UTF8Encoding(false), 1 << 20);
    for (var i = 0; i < count; i++)
    {
        price += random.Next(-4, 5);
        var ts = start + (long)((double)i / count * 86_400_000);
        var qty = (random.Next(1, 20000) / 1000m).ToString(CultureInfo.InvariantCulture);
        var q = (decimal.Parse(qty, CultureInfo.InvariantCulture) / 100m).ToString(CultureInfo.InvariantCulture);
        var px = (price / 10m).ToString("0.0", CultureInfo.InvariantCulture);
        w.Write($"{{\"exchange\":\"okx\",\"instId\":\"BTC-USDT-SWAP\",\"tradeId\":\"{2_000_000_000L + i}\",\"ts\":{ts},\"px\":\"{px}\",\"sz\":\"{qty}\",\"side\":\"{((i & 1) == 0 ? "buy" : "sell")}\",\"ctVal\":\"0.01\",\"ctMult\":\"1\",\"ctType\":\"linear\",\"ctValCcy\":\"BTC\",\"qtyBase\":\"{q}\",\"recvTs\":{ts + 7},\"src\":\"ws\"}}\n");
    }
}

static Columns Parse(string path, int capacity)
{
    var c = new Columns(capacity);
    foreach (var line in File.ReadLines(path))
    {
        var bytes = Encoding.UTF8.GetBytes(line);
        var r = new Utf8JsonReader(bytes);
        r.Read();
        string? ex = null, inst = null, id = null, px = null, sz = null, side = null, cv = null, cm = null, ct = null, ccy = null, qb = null, src = null;
        long ts = 0, recv = 0; long? cnt = null, first = null, last = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString();
            r.Read();
            switch (name)
            {
                case "exchange": ex = r.GetString(); break;
                case "instId": inst = r.GetString(); break;
                case "tradeId": id = r.GetString(); break;
                case "ts": ts = r.GetInt64(); break;
                case "px": px = r.GetString(); break;
                case "sz": sz = r.GetString(); break;
                case "side": side = r.GetString(); break;
                case "ctVal": cv = r.GetString(); break;
                case "ctMult": cm = r.GetString(); break;
                case "ctType": ct = r.GetString(); break;
                case "ctValCcy": ccy = r.GetString(); break;
                case "qtyBase": qb = r.GetString(); break;
                case "recvTs": recv = r.GetInt64(); break;
                case "src": src = r.GetString(); break;
                case "count": cnt = r.GetInt64(); break;
                case "firstId": first = r.GetInt64(); break;
                case "lastId": last = r.GetInt64(); break;
            }
        }
        c.Add(ex!, inst!, id!, ts, px!, sz!, side!, cv!, cm!, ct!, ccy!, qb!, recv, src!, cnt, first, last);
    }
    return c;
}

static ParquetSchema Schema() => new(
    new DataField<string>("exchange"), new DataField<string>("instId"), new DataField<string>("tradeId"), new DataField<long?>("ts"),
    new DataField<string>("px"), new DataField<string>("sz"), new DataField<string>("side"), new DataField<string>("ctVal"),
    new DataField<string>("ctMult"), new DataField<string>("ctType"), new DataField<string>("ctValCcy"), new DataField<string>("qtyBase"),
    new DataField<long?>("recvTs"), new DataField<string>("src"), new DataField<long?>("count"), new DataField<long?>("firstId"), new DataField<long?>("lastId"),
    new DecimalDataField("ctMultDecimal", 38, 18, isNullable: true), new DecimalDataField("ctValDecimal", 38, 18, isNullable: true),
    new DecimalDataField("pxDecimal", 38, 18, isNullable: true), new DecimalDataField("qtyBaseDecimal", 38, 18, isNullable: true),
    new DecimalDataField("szDecimal", 38, 18, isNullable: true));

static async Task WriteNet(List<Array[]> groups, string path)
{
    var schema = Schema();
    var fields = schema.GetDataFields();
    await using var stream = File.Create(path);
    await using var writer = await ParquetWriter.CreateAsync(schema, stream, new ParquetOptions
    {
        CompressionMethod = Enum.Parse<CompressionMethod>(Environment.GetEnvironmentVariable("PQ_CODEC") ?? "Zstd"),
        CompressionLevel = Enum.Parse<System.IO.Compression.CompressionLevel>(Environment.GetEnvironmentVariable("PQ_LEVEL") ?? "Optimal"),
    });
    foreach (var arrays in groups)
    {
        using var rg = writer.CreateRowGroup();
        for (var i = 0; i < fields.Length; i++)
        {
            var sw = Stopwatch.StartNew();
            switch (arrays[i])
            {
                case string[] s: await rg.WriteAsync(fields[i], s, null); break;
                case long?[] l: await rg.WriteAsync<long>(fields[i], new ReadOnlyMemory<long?>(l), null, null, default); break;
                case decimal?[] d: await rg.WriteAsync<decimal>(fields[i], new ReadOnlyMemory<decimal?>(d), null, null, default); break;
            }
            if (Environment.GetEnvironmentVariable("PQ_VERBOSE") == "1") Console.WriteLine($"    {fields[i].Name}: {sw.Elapsed.TotalSeconds:N2} s");
        }
    }
}

static async Task<long> ReadNet(string path)
{
    long check = 0;
    await using var stream = File.OpenRead(path);
    await using var reader = await ParquetReader.CreateAsync(stream);
    var fields = reader.Schema.GetDataFields();
    for (var g = 0; g < reader.RowGroupCount; g++)
    {
        using var rg = reader.OpenRowGroupReader(g);
        var n = (int)rg.RowCount;
        foreach (var f in fields)
        {
            if (f.ClrType == typeof(string) || f.ClrType == typeof(ReadOnlyMemory<char>)) { var b = new string[n]; await rg.ReadAsync(f, b.AsMemory(), null, default); check += b[n - 1].Length; }
            else if (f.ClrType == typeof(long)) { var b = new long?[n]; await rg.ReadAsync<long>(f, b.AsMemory(), null, default); check += b[n - 1] ?? 0; }
            else if (f.ClrType == typeof(decimal)) { var b = new decimal?[n]; await rg.ReadAsync<decimal>(f, b.AsMemory(), null, default); check += (long)(b[n - 1] ?? 0); }
            else throw new InvalidOperationException($"{f.Name}: {f.ClrType}");
        }
    }
    return check;
}

static long ReadDuck(string path)
{
    using var c = Open();
    using var cmd = c.CreateCommand();
    cmd.CommandText = $"SELECT * FROM read_parquet('{path}')";
    cmd.UseStreamingMode = true;
    using var r = cmd.ExecuteReader();
    long check = 0;
    var n = r.FieldCount;
    while (r.Read())
    {
        for (var i = 0; i < n; i++)
        {
            if (r.IsDBNull(i)) continue;
            var t = r.GetFieldType(i);
            if (t == typeof(string)) check += r.GetString(i).Length;
            else if (t == typeof(long)) check += r.GetInt64(i);
            else if (t == typeof(decimal)) check += (long)r.GetDecimal(i);
            else check += r.GetValue(i).GetHashCode();
        }
    }
    return check;
}

static void QueryDuck(string path)
{
    using var c = Open();
    using var cmd = c.CreateCommand();
    cmd.CommandText = $"SELECT count(*), count(DISTINCT tradeId), sum(pxDecimal::DECIMAL(19,8) * qtyBaseDecimal::DECIMAL(19,8))::VARCHAR FROM read_parquet('{path}')";
    using var r = cmd.ExecuteReader();
    r.Read();
    Console.Write($"    [{r.GetValue(0)} rows, {r.GetValue(1)} ids, notional {r.GetValue(2)}]");
    Console.WriteLine();
}

sealed class Columns(int capacity)
{
    private readonly List<string>[] _s = Enumerable.Range(0, 12).Select(_ => new List<string>(capacity)).ToArray();
    private readonly List<long?>[] _l = Enumerable.Range(0, 5).Select(_ => new List<long?>(capacity)).ToArray();
    private readonly List<decimal?>[] _d = Enumerable.Range(0, 5).Select(_ => new List<decimal?>(capacity)).ToArray();
    public int Count => _s[0].Count;

    public void Add(string ex, string inst, string id, long ts, string px, string sz, string side, string cv, string cm, string ct, string ccy, string qb,
        long recv, string src, long? cnt, long? first, long? last)
    {
        string[] s = [ex, inst, id, px, sz, side, cv, cm, ct, ccy, qb, src];
        for (var i = 0; i < 12; i++) _s[i].Add(s[i]);
        _l[0].Add(ts); _l[1].Add(recv); _l[2].Add(cnt); _l[3].Add(first); _l[4].Add(last);
        _d[0].Add(D(cm)); _d[1].Add(D(cv)); _d[2].Add(D(px)); _d[3].Add(D(qb)); _d[4].Add(D(sz));
    }

    private static decimal? D(string s) => decimal.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d) ? d : null;

    // schema order: exchange instId tradeId ts px sz side ctVal ctMult ctType ctValCcy qtyBase recvTs src count firstId lastId + 5 decimals
    public Array[] Slice(int start, int n)
    {
        string[] S(int i) => _s[i].GetRange(start, n).ToArray();
        long?[] L(int i) => _l[i].GetRange(start, n).ToArray();
        decimal?[] Dd(int i) => _d[i].GetRange(start, n).ToArray();
        return [S(0), S(1), S(2), L(0), S(3), S(4), S(5), S(6), S(7), S(8), S(9), S(10), L(1), S(11), L(2), L(3), L(4), Dd(0), Dd(1), Dd(2), Dd(3), Dd(4)];
    }
}
