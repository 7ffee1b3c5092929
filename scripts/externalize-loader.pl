#!/usr/bin/env perl
# Trunk post_build hook: moves the loader Trunk writes inline into index.html (a module script
# that imports the wasm-bindgen glue and starts the app) into a file of its own, so that the page's
# Content-Security-Policy can forbid inline scripts altogether. Plain perl, no modules.
use strict;
use warnings;

my $dir = $ENV{TRUNK_STAGING_DIR} or die "externalize-loader: TRUNK_STAGING_DIR is not set\n";
my $index = "$dir/index.html";
open(my $in, '<', $index) or die "externalize-loader: $index: $!\n";
my $html = do { local $/; <$in> };
close $in;

my $moved = 0;
$html =~ s{<script type="module">(.*?)</script>}{
    my $code = $1;
    # A content checksum in the name, as Trunk's own file hashes, so caches follow new builds.
    my $name = sprintf("loader-%08x.js", unpack("%32C*", $code));
    open(my $out, '>', "$dir/$name") or die "externalize-loader: $dir/$name: $!\n";
    print $out $code;
    close $out;
    $moved++;
    qq{<script type="module" src="./$name"></script>};
}se;
$moved == 1 or die "externalize-loader: expected one inline module script in $index, found $moved\n";

open(my $out, '>', $index) or die "externalize-loader: $index: $!\n";
print $out $html;
close $out;
