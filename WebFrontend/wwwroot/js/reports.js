// Saves a report table the server made (CSV or .xlsx) as a file, without a round trip through a URL.
export function download(fileName, contentType, bytes) {
    const url = URL.createObjectURL(new Blob([bytes], { type: contentType }));
    const link = document.createElement("a");
    link.href = url;
    link.download = fileName;
    document.body.appendChild(link);
    link.click();
    link.remove();
    URL.revokeObjectURL(url);
}

// Opens the browser's print dialog: the page's print style lays it out on A4 landscape.
export function print() {
    window.print();
}
