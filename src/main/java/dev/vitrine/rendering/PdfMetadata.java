package dev.vitrine.rendering;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Calendar;

import org.apache.pdfbox.Loader;
import org.apache.pdfbox.pdmodel.PDDocument;
import org.apache.pdfbox.pdmodel.PDDocumentInformation;

/**
 * Title and author in a PDF's document information. Chromium writes the title from
 * {@code <title>} but has no way to set the author, so PDFBox adds both afterwards.
 */
final class PdfMetadata {

	private PdfMetadata() {
	}

	static byte[] apply(byte[] pdf, String title, String author) {
		try (PDDocument document = Loader.loadPDF(pdf)) {
			PDDocumentInformation info = document.getDocumentInformation();
			info.setTitle(title);
			info.setAuthor(author);
			info.setCreator("Vitrine");
			info.setModificationDate(Calendar.getInstance());
			ByteArrayOutputStream out = new ByteArrayOutputStream(pdf.length + 1024);
			document.save(out);
			return out.toByteArray();
		}
		catch (IOException ex) {
			throw new RenderException("Chromium's PDF could not be read to add its metadata: " + ex.getMessage(), ex);
		}
	}

}
