# One entry point on Windows (PowerShell 7+): set-up on first use, then pipeline commands.
#   ./run.ps1 test          runs every test and ends with "N passed, N failed"
#   ./run.ps1 <args>        runs `pipeline <args>`
#   ./run.ps1 install [-Prefix DIR]   writes a `pipeline` launcher (default ~/.local/bin) that runs the built
#                           program with no set-up checks, for scripts and scheduled tasks
# Once built, a call only looks for changed sources: the SDK version is checked only when building.
$ErrorActionPreference = 'Stop'
# Relative paths in the arguments (--vault, --config, --strategy, ...) are the caller's: set-up and build
# run in the checkout, the pipeline itself runs in the directory run.ps1 was called from.
$Caller = (Get-Location).Path
Set-Location $PSScriptRoot

$Tools = Join-Path $PSScriptRoot '.tools'
$BuildStamp = Join-Path $Tools 'build.stamp'
$Config = 'Release'
$PipelineDll = Join-Path $PSScriptRoot "jobs/bin/$Config/net10.0/pipeline.dll"
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

function Fail($message) { [Console]::Error.WriteLine("run.ps1: $message"); Set-Location $Caller; exit 1 }

function Test-Sdk {
    if (-not (Get-Command dotnet -ErrorAction SilentlyContinue)) { Fail 'the .NET 10 SDK is missing. Install it from https://dot.net, then run ./run.ps1 again.' }
}

# `dotnet --version` costs 0.15-0.3 s (it resolves the SDK): only a build needs the SDK, so only a build checks it.
function Test-SdkVersion {
    $major = [int]((dotnet --version).Split('.')[0])
    if ($major -lt 10) { Fail "the .NET SDK found is $(dotnet --version); Pipeline needs .NET 10 (see global.json)." }
}

# The first source newer than the last build, if any. It runs on every call, so it walks the source folders
# without descending into bin/obj; a folder newer than the stamp means a source was added, removed or renamed in it.
function Get-ChangedSource {
    if (-not (Test-Path $BuildStamp) -or -not (Test-Path $PipelineDll)) { return '(no build yet)' }
    $stamp = (Get-Item $BuildStamp).LastWriteTimeUtc
    $extensions = '.cs', '.csproj', '.props', '.targets', '.json', '.sln', '.yaml'
    $pending = [System.Collections.Generic.Stack[System.IO.DirectoryInfo]]::new()
    foreach ($d in 'vault', 'exporter', 'calculators', 'jobs', 'tests') {
        $path = Join-Path $PSScriptRoot $d
        if (Test-Path $path) { $pending.Push([System.IO.DirectoryInfo]::new($path)) }
    }
    while ($pending.Count -gt 0) {
        $dir = $pending.Pop()
        if ($dir.LastWriteTimeUtc -gt $stamp) { return $dir.FullName }
        foreach ($entry in $dir.EnumerateFileSystemInfos()) {
            if ($entry -is [System.IO.DirectoryInfo]) {
                if ($entry.Name -notin 'bin', 'obj', 'TestResults') { $pending.Push($entry) }
            } elseif ($entry.Extension -in $extensions -and $entry.LastWriteTimeUtc -gt $stamp) { return $entry.FullName }
        }
    }
    foreach ($name in 'Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'BannedSymbols.txt', 'global.json', 'Pipeline.sln') {
        $path = Join-Path $PSScriptRoot $name
        if ((Test-Path $path) -and (Get-Item $path).LastWriteTimeUtc -gt $stamp) { return $path }
    }
    return $null
}

# How often a running restore or build says it is still running (seconds; a test lowers it).
$ProgressSeconds = if ($env:PIPELINE_PROGRESS_SECONDS) { [int]$env:PIPELINE_PROGRESS_SECONDS } else { 15 }

# Runs one set-up stage (a dotnet restore or build) with its whole output kept in the log file (shown only on failure).
# The user still sees it move: a line per project as dotnet finishes it, and every $ProgressSeconds a
# "still <what> (N s)" line. Returns dotnet's exit code. The already-built path never comes here.
function Invoke-Stage([string] $what, [string] $log, [string[]] $dotnetArgs) {
    $psi = [System.Diagnostics.ProcessStartInfo]::new((Get-Command dotnet).Source)
    foreach ($a in $dotnetArgs) { $psi.ArgumentList.Add($a) }
    $psi.WorkingDirectory = $PSScriptRoot   # Set-Location does not move the process's own directory
    $psi.UseShellExecute = $false
    $psi.RedirectStandardOutput = $true
    $psi.RedirectStandardError = $true
    $process = [System.Diagnostics.Process]::Start($psi)
    $errors = $process.StandardError.ReadToEndAsync()
    $lines = [System.Collections.Generic.List[string]]::new()
    $clock = [System.Diagnostics.Stopwatch]::StartNew()
    $nextReport = $ProgressSeconds
    $pending = $process.StandardOutput.ReadLineAsync()
    while ($true) {
        if ($pending.Wait(250)) {
            $line = $pending.Result
            if ($null -eq $line) { break }
            $lines.Add($line)
            if ($line -match '^\s*(\S+) -> ') { [Console]::Error.WriteLine("run.ps1:   built $($Matches[1])") }
            elseif ($line -match '^\s*Restored (.+) \(in ') { [Console]::Error.WriteLine("run.ps1:   restored $(Split-Path -Leaf $Matches[1])") }
            $pending = $process.StandardOutput.ReadLineAsync()
        }
        if ($clock.Elapsed.TotalSeconds -ge $nextReport) {
            [Console]::Error.WriteLine("run.ps1: still $what ($nextReport s) ...")
            $nextReport += $ProgressSeconds
        }
    }
    $process.WaitForExit()
    $lines.Add($errors.Result)
    Set-Content -Path $log -Value $lines
    return $process.ExitCode
}

# A failed stage: its errors and warnings (or the whole log when it has none), then the log goes.
function Show-StageProblems([string] $log) {
    $problems = @(Select-String -Path $log -Pattern 'error|warning' | ForEach-Object { $_.Line } | Sort-Object -Unique)
    if ($problems.Count -eq 0) { $problems = @(Get-Content $log) }
    foreach ($p in $problems) { [Console]::Error.WriteLine($p) }
    Remove-Item $log -ErrorAction SilentlyContinue
}

function Invoke-Build {
    $changed = Get-ChangedSource
    if ($changed) {
        Test-SdkVersion
        $log = [System.IO.Path]::GetTempFileName()
        $restore = @()
        if ($changed -eq '(no build yet)') {
            # First run: the packages come from nuget.org (DuckDB's native library is the big one), then ten projects
            # compile. Two quiet minutes look like a hang, so each stage says what it does.
            [Console]::Error.WriteLine('run.ps1: first run: restoring packages (about a minute on a fresh machine) ...')
            if ((Invoke-Stage 'restoring packages' $log @('restore', 'Pipeline.sln', '-nologo', '-v:m', '-tl:off')) -ne 0) {
                Show-StageProblems $log
                Fail 'restoring packages failed (is nuget.org reachable?)'
            }
            [Console]::Error.WriteLine("run.ps1: building ($Config; the first build takes one to two minutes) ...")
            $restore = @('--no-restore')
        } else {
            [Console]::Error.WriteLine("run.ps1: building ($Config; changed: $changed) ...")
        }
        $buildArgs = @('build', 'Pipeline.sln', '-c', $Config) + $restore + @('-nologo', '-clp:NoSummary', '-v:m', '-tl:off')
        if ((Invoke-Stage 'building' $log $buildArgs) -ne 0) {
            Show-StageProblems $log
            Fail 'build failed'
        }
        Remove-Item $log -ErrorAction SilentlyContinue
        New-Item -ItemType Directory -Force -Path $Tools | Out-Null
        New-Item -ItemType File -Force -Path $BuildStamp | Out-Null
        [Console]::Error.WriteLine('run.ps1: built')
    }
}

function Initialize-Pipeline {
    Test-Sdk
    Invoke-Build
}

# Writes a launcher that runs the built program directly: no SDK check, no staleness check, no build. It calls the
# dotnet host found now, so a scheduled task's short PATH still finds it.
function Install-Launcher([string[]] $installArgs) {
    $prefix = Join-Path $HOME '.local/bin'
    for ($i = 0; $i -lt $installArgs.Count; $i++) {
        if ($installArgs[$i] -in '-Prefix', '--prefix') {
            if ($i + 1 -ge $installArgs.Count) { Fail 'install: -Prefix needs a directory' }
            $prefix = $installArgs[++$i]
        } else { Fail "install: unknown argument '$($installArgs[$i])' (usage: ./run.ps1 install [-Prefix DIR])" }
    }
    if (-not [System.IO.Path]::IsPathRooted($prefix)) { $prefix = Join-Path $Caller $prefix }
    New-Item -ItemType Directory -Force -Path $prefix | Out-Null
    $dotnet = (Get-Command dotnet).Source
    if ($IsWindows -or $env:OS -eq 'Windows_NT') {
        $launcher = Join-Path $prefix 'pipeline.cmd'
        Set-Content -Path $launcher -Encoding ascii -Value @(
            '@echo off',
            "rem Written by $PSCommandPath install: runs the built Pipeline with no set-up checks and no rebuild.",
            "rem After changing or pulling the sources, run $PSCommandPath setup (or any run.ps1 command) to rebuild.",
            "if not exist `"$PipelineDll`" (echo pipeline: $PipelineDll is missing: run $PSCommandPath setup 1>&2 & exit /b 1)",
            "`"$dotnet`" `"$PipelineDll`" %*")
    } else {
        $launcher = Join-Path $prefix 'pipeline'
        $q = { param($v) "'" + ($v -replace "'", "'\''") + "'" }
        Set-Content -Path $launcher -Value @(
            '#!/usr/bin/env bash',
            "# Written by $PSCommandPath install: runs the built Pipeline with no set-up checks and no rebuild.",
            "dll=$(& $q $PipelineDll)",
            ('[[ -f "$dll" ]] || { echo "pipeline: $dll is missing: run ' + $PSCommandPath + ' setup" >&2; exit 1; }'),
            "dotnet=$(& $q $dotnet)",
            '[[ -x "$dotnet" ]] || dotnet=dotnet',
            'exec "$dotnet" "$dll" "$@"')
        chmod 755 $launcher
    }
    [Console]::Error.WriteLine("run.ps1: installed $launcher (runs $PipelineDll; it does not rebuild: run ./run.ps1 setup after changing the sources)")
    $onPath = ($env:PATH -split [System.IO.Path]::PathSeparator) | Where-Object { $_ -and ($_.TrimEnd('\', '/') -eq $prefix.TrimEnd('\', '/')) }
    if (-not $onPath) { [Console]::Error.WriteLine("run.ps1: warning: $prefix is not on PATH; add it to your user PATH or call $launcher directly") }
}

function Invoke-Tests([string[]] $extra) {
    $results = Join-Path $Tools 'test-results'
    if (Test-Path $results) { Remove-Item -Recurse -Force $results }
    New-Item -ItemType Directory -Path $results | Out-Null
    $status = 0
    $projects = Get-ChildItem tests/*/*.Tests.csproj
    foreach ($proj in $projects) {
        dotnet test $proj.FullName -c $Config --no-build -nologo --logger "trx;LogFileName=$($proj.BaseName).trx" --results-directory $results @extra | Out-Host
        if ($LASTEXITCODE -ne 0) { $status = $LASTEXITCODE }
    }
    $passed = 0; $failed = 0; $skipped = 0; $files = 0
    foreach ($trx in Get-ChildItem $results -Filter *.trx) {
        $files++
        $c = ([xml](Get-Content $trx.FullName)).TestRun.ResultSummary.Counters
        # The counters leave xUnit's skipped tests out of "executed" and "notExecuted" alike; the results mark them NotExecuted.
        $nx = ([regex]::Matches((Get-Content -Raw $trx.FullName), 'outcome="NotExecuted"')).Count
        $passed += [int]$c.passed; $failed += [int]$c.failed; $skipped += $nx
        $missing = [int]$c.total - [int]$c.executed - $nx
        if ($missing -gt 0) { $failed += $missing }
    }
    if ($status -ne 0 -and $failed -eq 0) { $failed = 1 }
    if ($files -lt $projects.Count -and $failed -eq 0) { $failed = 1 }
    ''
    if ($skipped -gt 0) { "$passed passed, $failed failed, $skipped skipped" } else { "$passed passed, $failed failed" }
    if ($failed -gt 0) { exit 1 }
}

try {
    Initialize-Pipeline
    if ($args.Count -gt 0 -and $args[0] -eq 'install') {
        Install-Launcher ([string[]]($args | Select-Object -Skip 1))
    } elseif ($args.Count -gt 0 -and $args[0] -eq 'test') {
        Invoke-Tests ($args | Select-Object -Skip 1)
    } elseif ($args.Count -gt 0 -and $args[0] -eq 'setup') {
        dotnet $PipelineDll doctor
    } else {
        Set-Location $Caller
        dotnet $PipelineDll @args
        exit $LASTEXITCODE
    }
} finally {
    # A script's Set-Location outlives it in the caller's session: always leave the caller where they were.
    Set-Location $Caller
}
