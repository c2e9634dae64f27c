using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MesOrleans.Plant;
using MesOrleans.Testing;
using static MesOrleans.WebFrontend.Tests.Infrastructure.WebPlant;

namespace MesOrleans.WebFrontend.Tests;

/// <summary>Work orders, the ERP exchange and quality through the REST API of the running app.</summary>
public sealed class WorkOrderApiTests(WorkOrderApiTests.App app) : IClassFixture<WorkOrderApiTests.App>, IDisposable
{
    private const string Packaging = "packaging";
    private const string Filler = "filler-1";
    private const string Header = "order,part,quantity,due,line\r\n";
    private readonly HttpClient _http = app.Instance.CreateClient();

    public void Dispose() => _http.Dispose();

    [Fact]
    public async Task An_import_with_a_bad_row_changes_nothing_a_dry_run_changes_nothing_and_the_same_file_again_changes_nothing()
    {
        var n = Unique();
        var bad = Header + $"{n}-1,BRK-1,10,2026-12-01,{Site}/{Line}\r\n{n}-2,NOPE,ten,2026-12-01,{Site}/{Line}\r\n";
        var refused = await ImportAsync(bad);
        Assert.Equal(HttpStatusCode.BadRequest, refused.StatusCode);
        var problem = await refused.Content.ReadFromJsonAsync<JsonElement>();
        Assert.Equal([(3, "quantity")], problem.GetProperty("rowErrors").EnumerateArray().Select(e => (e.GetProperty("line").GetInt32(), e.GetProperty("column").GetString()!)));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/work-orders/{n}-1")).StatusCode);

        var unknownPart = await ImportAsync(Header + $"{n}-1,NOPE,10,,{Site}/{Line}\r\n");
        Assert.Equal("part", (await unknownPart.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowErrors")[0].GetProperty("column").GetString());

        var good = Header + $"{n}-1,BRK-1,10,2026-12-01,{Site}/{Line}\r\n{n}-2,CAP-1,20,,{Site}/{Packaging}\r\n";
        Assert.Equal((2, 0, 0), await ImportedAsync(good, dryRun: true));
        Assert.Equal(HttpStatusCode.NotFound, (await _http.GetAsync($"/api/work-orders/{n}-1")).StatusCode);
        Assert.Equal((2, 0, 0), await ImportedAsync(good));
        Assert.Equal((0, 0, 2), await ImportedAsync(good));
        Assert.Equal((0, 1, 1), await ImportedAsync(good.Replace(",20,", ",25,", StringComparison.Ordinal)));

        // A started order is never overwritten by an import.
        await PostOk($"/api/work-orders/{n}-1/release");
        await PostOk($"/api/work-orders/{n}-1/start");
        var overwrite = await ImportAsync(Header + $"{n}-1,BRK-1,99,,{Site}/{Line}\r\n");
        var error = (await overwrite.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowErrors")[0];
        Assert.Equal((2, "order"), (error.GetProperty("line").GetInt32(), error.GetProperty("column").GetString()));
        Assert.Equal(10, (await _http.GetFromJsonAsync<JsonElement>($"/api/work-orders/{n}-1")).GetProperty("targetQuantity").GetInt64());
        await PostOk($"/api/work-orders/{n}-1/complete");
    }

    [Fact]
    public async Task Ten_thousand_rows_import_at_once_and_again_unchanged_with_a_byte_order_mark_and_semicolons()
    {
        var n = Unique();
        var file = new StringBuilder("order;part;quantity;due;line\r\n");
        for (var i = 0; i < 10_000; i++)
        {
            file.Append($"{n}-{i:00000};BRK-1;{1 + (i % 50)};2027-01-{1 + (i % 28):00};{Site}/{Packaging}\r\n");
        }

        byte[] bytes = [0xEF, 0xBB, 0xBF, .. Encoding.UTF8.GetBytes(file.ToString())];
        Assert.Equal((10_000, 0, 0), await ImportedAsync(bytes));
        Assert.Equal((0, 0, 10_000), await ImportedAsync(bytes));

        var planned = await _http.GetFromJsonAsync<JsonElement>($"/api/work-orders?site={Site}&line={Packaging}&status=planned");
        Assert.Equal(10_000, planned.EnumerateArray().Count(o => o.GetProperty("orderNumber").GetString()!.StartsWith(n, StringComparison.Ordinal)));
    }

    [Fact]
    public async Task A_file_in_windows_1252_is_read_with_its_charset_and_refused_without_it()
    {
        var n = Unique();
        var latin1 = CodePages().GetBytes(Header + $"{n}-Ü,BRK-1,1,,{Site}/{Line}\r\n");

        var withoutCharset = await ImportAsync(latin1);
        Assert.Equal(2, (await withoutCharset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowErrors")[0].GetProperty("line").GetInt32());

        // Read correctly, the order number has a letter order numbers may not have: the error names the order.
        var withCharset = await ImportAsync(latin1, "text/csv; charset=windows-1252");
        var error = (await withCharset.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("rowErrors")[0];
        Assert.Equal("order", error.GetProperty("column").GetString());
        Assert.Contains($"{n}-Ü", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_order_counts_its_counting_machines_parts_and_exports_them_exactly_when_completed()
    {
        var n = Unique();
        var created = await _http.PostAsJsonAsync("/api/work-orders", new { orderNumber = n, product = "CAP-1", targetQuantity = 50, lineId = $"{Site}/{Packaging}", lot = "L-7" });
        Assert.Equal(HttpStatusCode.Created, created.StatusCode);
        var from = DateTimeOffset.UtcNow.AddMinutes(-1);
        await PostOk($"/api/work-orders/{n}/release");
        var started = await PostOk($"/api/work-orders/{n}/start");
        Assert.Equal("running", started.GetProperty("status").GetString());
        Assert.Equal(n, (await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/lines/{Packaging}")).GetProperty("activeWorkOrder").GetString());

        var machine = $"/api/sites/{Site}/lines/{Packaging}/machines/{Filler}";
        await PostOk($"{machine}/counts", new { good = 30, @operator = "Anna" });
        await PostOk($"{machine}/scrap", new { quantity = 2, reasonCode = "S01", @operator = "Anna" });
        await PostOk($"/api/work-orders/{n}/pause");
        await PostOk($"{machine}/counts", new { good = 7, @operator = "Anna" });            // not the order's: it is paused
        await PostOk($"/api/work-orders/{n}/resume");
        await PostOk($"{machine}/counts", new { good = 20, @operator = "Anna" });
        var running = await _http.GetFromJsonAsync<JsonElement>($"/api/work-orders/{n}");
        Assert.Equal((50L, 2L, 52L), (running.GetProperty("good").GetInt64(), running.GetProperty("scrap").GetInt64(), running.GetProperty("produced").GetInt64()));

        var listed = await _http.GetFromJsonAsync<JsonElement>($"/api/work-orders?site={Site}&line={Site}/{Packaging}&status=running");
        Assert.Contains(listed.EnumerateArray(), o => o.GetProperty("orderNumber").GetString() == n && o.GetProperty("good").GetInt64() == 50);

        await PostOk($"/api/work-orders/{n}/complete");
        var export = await _http.GetAsync($"/api/work-orders/export?from={Iso(from)}&to={Iso(DateTimeOffset.UtcNow.AddMinutes(1))}");
        Assert.Equal("text/csv", export.Content.Headers.ContentType?.MediaType);
        var lines = (await export.Content.ReadAsStringAsync()).Split("\r\n");
        Assert.Equal("order,part,quantity,good,scrap,line,started,completed,scrap:S01", lines[0]);
        var row = lines.Single(l => l.StartsWith(n + ",", StringComparison.Ordinal)).Split(',');
        Assert.Equal([n, "CAP-1", "50", "50", "2", $"{Site}/{Packaging}"], row[..6]);
        Assert.Equal("2", row[8]);
        Assert.Equal(HttpStatusCode.BadRequest, (await _http.GetAsync($"/api/work-orders/export?from={Iso(from)}")).StatusCode);
    }

    [Fact]
    public async Task The_schedule_lays_out_each_lines_queue_and_the_line_oee_says_which_count_is_its_output()
    {
        var n = Unique();
        await _http.PostAsJsonAsync("/api/work-orders", new { orderNumber = n, product = "BRK-1", targetQuantity = 90, lineId = $"{Site}/{Line}", due = DateTimeOffset.UtcNow.AddMinutes(1) });

        var schedule = await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/schedule");
        var mine = schedule.GetProperty("lines").EnumerateArray().Single(l => l.GetProperty("lineId").GetString() == $"{Site}/{Line}")
            .GetProperty("orders").EnumerateArray().Single(o => o.GetProperty("order").GetProperty("plan").GetProperty("orderNumber").GetString() == n);
        Assert.True(mine.GetProperty("late").GetBoolean());

        var oee = await _http.GetFromJsonAsync<JsonElement>($"/api/sites/{Site}/lines/{Line}/oee");
        Assert.Equal("sumOfMachines", oee.GetProperty("countsAre").GetString());
        Assert.Equal($"{Site}/{Line}/{Welder}", oee.GetProperty("output").GetProperty("countingMachines")[0].GetString());
    }

    [Fact]
    public async Task Inspections_take_either_spelling_of_in_process_and_spc_marks_the_subgroup_out_of_control()
    {
        var part = "P-" + Unique();
        var plan = await _http.PutAsJsonAsync($"/api/quality/plans/{part}", new
        {
            characteristics = new object[]
            {
                new { name = "diameter", kind = "measured", nominal = 10.0, lower = 9.0, upper = 11.0, unit = "mm", subgroupSize = 2 },
                new { name = "label", kind = "passFail" },
            },
        });
        Assert.Equal(HttpStatusCode.OK, plan.StatusCode);

        var at = DateTimeOffset.UtcNow.AddHours(-2);
        // Means 10.0, 10.0, 10.1, 9.9, 10.2, 9.8 and 11.55: X̿ = 10.2214, R̄ = 2.5 / 7; A2 = 1.880: UCL 10.893, LCL 9.550.
        double[][] subgroups = [[9.8, 10.2], [10.2, 9.8], [9.9, 10.3], [10.1, 9.7], [10.0, 10.4], [9.6, 10.0], [11.5, 11.6]];
        for (var i = 0; i < subgroups.Length; i++)
        {
            var inspected = await _http.PostAsJsonAsync("/api/quality/inspections", new
            {
                part, site = Site, kind = i % 2 == 0 ? "in-process" : "inProcess", at = at.AddMinutes(i),
                results = new object[] { new { characteristic = "diameter", values = subgroups[i] }, new { characteristic = "label", pass = true } },
            });
            Assert.Equal(HttpStatusCode.Created, inspected.StatusCode);
        }

        var badKind = await _http.PostAsJsonAsync("/api/quality/inspections", new { part, site = Site, kind = "sometimes", results = Array.Empty<object>() });
        Assert.Equal(["$.kind"], (await badKind.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("errors").EnumerateObject().Select(p => p.Name));

        var spc = await _http.GetFromJsonAsync<JsonElement>($"/api/quality/spc?part={part}&characteristic=diameter&from={Iso(at.AddHours(-1))}&to={Iso(DateTimeOffset.UtcNow)}");
        Assert.Equal(("xbarR", 2), (spc.GetProperty("chart").GetString(), spc.GetProperty("subgroupSize").GetInt32()));
        foreach (var name in new[] { "center", "ucl", "lcl" })
        {
            Assert.True(spc.GetProperty("xbar").GetProperty(name).ValueKind == JsonValueKind.Number);
            Assert.True(spc.GetProperty("range").GetProperty(name).ValueKind == JsonValueKind.Number);
        }

        var points = spc.GetProperty("points").EnumerateArray().ToList();
        Assert.Equal(7, points.Count);
        Assert.Equal(["rule1"], points[^1].GetProperty("violations").EnumerateArray().Select(v => v.GetString()));
        Assert.Equal(10.893, spc.GetProperty("xbar").GetProperty("ucl").GetDouble(), 3);
        Assert.All(points[..^1], p => Assert.Empty(p.GetProperty("violations").EnumerateArray()));
    }

    private async Task<HttpResponseMessage> ImportAsync(string csv, bool dryRun = false) =>
        await ImportAsync(Encoding.UTF8.GetBytes(csv), dryRun: dryRun);

    private async Task<HttpResponseMessage> ImportAsync(byte[] csv, string contentType = "text/csv", bool dryRun = false)
    {
        var content = new ByteArrayContent(csv);
        content.Headers.TryAddWithoutValidation("Content-Type", contentType);
        return await _http.PostAsync($"/api/work-orders/import{(dryRun ? "?dryRun=true" : "")}", content);
    }

    private async Task<(int, int, int)> ImportedAsync(string csv, bool dryRun = false) => await ImportedAsync(Encoding.UTF8.GetBytes(csv), dryRun);

    private async Task<(int, int, int)> ImportedAsync(byte[] csv, bool dryRun = false)
    {
        var response = await ImportAsync(csv, dryRun: dryRun);
        Assert.True(response.IsSuccessStatusCode, await response.Content.ReadAsStringAsync());
        var outcome = await response.Content.ReadFromJsonAsync<JsonElement>();
        return (outcome.GetProperty("created").GetInt32(), outcome.GetProperty("updated").GetInt32(), outcome.GetProperty("unchanged").GetInt32());
    }

    private async Task<JsonElement> PostOk(string url, object? body = null)
    {
        var response = await _http.PostAsJsonAsync(url, body ?? new { });
        Assert.True(response.IsSuccessStatusCode, $"{url}: {(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}");
        return await response.Content.ReadFromJsonAsync<JsonElement>();
    }

    private static string Unique() => "T" + Guid.NewGuid().ToString("N")[..10];

    private static string Iso(DateTimeOffset t) => Uri.EscapeDataString(t.ToString("O"));

    private static Encoding CodePages()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding("windows-1252");
    }

    /// <summary>The web plant with a packaging line of one machine and two products.</summary>
    public sealed class App : IDisposable
    {
        public static PlantModel Plant { get; } = Model with
        {
            Sites = [Model.Sites[0] with { Lines = [.. Model.Sites[0].Lines, new LineModel(Packaging, "Packaging", [new MachineModel(Filler, "Filler 1", 2)])] }],
            Products = [new ProductModel("BRK-1", "Bracket", 20), new ProductModel("CAP-1", "Cap", 2)],
        };

        public MesApp Instance { get; } = MesApp.StartWith(Plant);

        public void Dispose() => Instance.Dispose();
    }
}
